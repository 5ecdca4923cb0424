"""The catalogue's data migrations, run for real: backwards to 0001 and forwards again."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from routines.catalogue import ensure_builtin_catalogue
from routines.models import Area, Point, Routine

pytestmark = pytest.mark.django_db(transaction=True)


def applied() -> set[str]:
    return {name for app, name in MigrationRecorder(connection).applied_migrations() if app == "routines"}


def test_migrate_backwards_and_forwards():
    ensure_builtin_catalogue()  # an earlier transactional test may have flushed the database
    names = dict(Point.objects.builtin().values_list("slug", "name"))
    call_command("migrate", "routines", "0001", verbosity=0)
    assert applied() == {"0001_initial"}
    assert not Point.objects.exists() and not Routine.objects.exists() and not Area.objects.exists()
    call_command("migrate", verbosity=0)
    assert {"0002_builtin_catalogue", "0003_catalogue_names", "0006_catalogue_clinical_wording"} <= applied()
    assert dict(Point.objects.builtin().values_list("slug", "name")) == names
    assert Area.objects.count() == 4 and Routine.objects.builtin().count() == 3
