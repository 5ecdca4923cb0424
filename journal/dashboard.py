"""What the signed-in home page shows. The journal and trends fill this in."""

from typing import Any

from journal.models import Session


def dashboard_context(user) -> dict[str, Any]:
    return {"open_session": Session.objects.to_resume(user)}
