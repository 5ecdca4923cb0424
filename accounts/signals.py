from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from accounts.models import Profile

# Sent with `user` when the account's password may have been known to someone else (a reset, or a change with the
# box ticked): each app revokes the secret addresses it owns and returns how many.
private_links_revoked = Signal()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: object) -> None:
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(user_logged_in)
def remember_the_device(sender: type[User], request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None:
        from accounts.security import remember_device

        remember_device(request, user)
