"""One-time form keys: a form drawn with a fresh key, so that a double tap, a replayed request or a second tab
posting the same form finds the row the first post made (each model holds the key under a unique constraint per
user) instead of making a second one."""

import uuid
from collections.abc import Mapping, MutableMapping
from typing import Any

from django import forms


def stale_key_error(button: str) -> str:
    return f"This form was out of date, so nothing was saved yet. Your answers are still here: press {button} again."


def one_time_key(button: str) -> forms.UUIDField:
    """The hidden key field; `button` names the form's submit button in the message for a missing or bad key."""
    message = stale_key_error(button)
    return forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": message, "invalid": message})


class OneTimeKey:
    """For a form with a `key = one_time_key(...)` field: call `draw_key()` at the end of __init__."""

    # What the form this is mixed into has (for the type checker only: nothing is set here).
    is_bound: bool
    initial: MutableMapping[str, Any]
    errors: Any
    data: Any

    def draw_key(self) -> None:
        if not self.is_bound:
            self.initial["key"] = uuid.uuid4()

    @staticmethod
    def posted_key(data: Mapping[str, Any]) -> uuid.UUID | None:
        """The key a post carries, if it is a well-formed one (a replay is recognised before validation)."""
        try:
            return uuid.UUID(str(data.get("key", "")))
        except ValueError:
            return None

    def renew_stale_key(self) -> None:
        """After a missing or malformed key, the form is drawn again with a fresh one so that the button works."""
        if "key" in self.errors:
            self.data = self.data.copy()
            self.data["key"] = str(uuid.uuid4())
