from django.conf import settings
from django.core.management.base import BaseCommand

from journal.models import Session


class Command(BaseCommand):
    help = "Marks in-progress sessions untouched for TENDERSPOT_ABANDON_AFTER as abandoned (they are kept)."

    def handle(self, *args: object, **options: object) -> None:
        count = Session.objects.abandon_stale()
        self.stdout.write(f"Abandoned {count} session(s) untouched for {settings.TENDERSPOT_ABANDON_AFTER}.")
