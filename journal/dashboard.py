"""What the signed-in home page shows. The journal and trends fill this in."""

from typing import Any


def dashboard_context(user) -> dict[str, Any]:
    return {}
