"""Journal history for the benchmarks: `seed_history(username, days)` returns a user with `days` days of sessions
and releases, made by the `seed_demo` management command (the realistic mix the demo account gets)."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import PASSWORD


def seed_history(username: str, days: int) -> tuple:
    """(user, how): `how` says how the data was made, for the report."""
    call_command("seed_demo", username=username, password=PASSWORD, days=days, verbosity=0)
    return get_user_model().objects.get(username=username), f"seed_demo --days {days}"
