from django.contrib.auth.models import User
from django.db import transaction


@transaction.atomic
def erase_account(user: User) -> None:
    """Erases the user and every row that belongs to them, including failed log-in records under their name."""
    from axes.models import AccessAttempt, AccessFailureLog

    username = user.get_username()
    AccessAttempt.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()
    user.delete()  # Cascades to the profile, points, routines, sessions, releases, share links and reminders.
