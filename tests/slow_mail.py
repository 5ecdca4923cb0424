"""A mail backend as slow as a remote mail server (50 ms a message) that keeps what it sends like locmem."""

import time

from django.core.mail.backends.locmem import EmailBackend


class SlowBackend(EmailBackend):
    def send_messages(self, messages):
        time.sleep(0.05)
        return super().send_messages(messages)
