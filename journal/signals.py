"""The journal's answers to the accounts app's signals (accounts imports no app; the apps above it listen)."""

from django.contrib.auth.models import User
from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import private_links_revoked
from journal.models import Reminder, ShareLink


@receiver(private_links_revoked)
def revoke_share_links_and_feeds(sender: type[User], user: User, **kwargs: object) -> int:
    """Revokes `user`'s share links and calendar feeds still live; returns how many."""
    now = timezone.now()
    return sum(
        model.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        for model in (ShareLink, Reminder)
    )
