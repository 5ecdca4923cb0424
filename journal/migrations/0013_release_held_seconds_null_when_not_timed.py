"""held_seconds may be NULL: a release logged without the timer and no seconds given is "not timed", never stored
as the prescribed hold.

SQLite alters a column by rebuilding the table, which drops the table's triggers: the rev triggers of
0012_rev_for_cached_reports on journal_release are made again after the rebuild, both ways. PostgreSQL alters the
column in place and keeps them."""

import django.core.validators
from django.db import migrations, models
from django.db.models import F

# rev: a random draw below 2**40 (journal.models.REV_BITS), as in 0012_rev_for_cached_reports.
SQLITE_TRIGGERS = (
    "DROP TRIGGER IF EXISTS journal_release_rev_insert",
    "DROP TRIGGER IF EXISTS journal_release_rev_update",
    "CREATE TRIGGER journal_release_rev_insert AFTER INSERT ON journal_release "
    "BEGIN UPDATE journal_release SET rev = abs(random() % 1099511627776) WHERE id = NEW.id; END",
    "CREATE TRIGGER journal_release_rev_update AFTER UPDATE ON journal_release "
    "BEGIN UPDATE journal_release SET rev = abs(random() % 1099511627776) WHERE id = NEW.id; END",
)


def release_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def not_timed_as_before(apps, schema_editor):
    """Back to a column without NULL: a release not timed counts its prescribed hold, as it did before."""
    Release = apps.get_model("journal", "Release")
    Release.objects.filter(held_seconds__isnull=True).update(held_seconds=F("prescribed_seconds"))


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0012_rev_for_cached_reports"),
    ]

    operations = [
        # Backwards, after the table is rebuilt once more.
        migrations.RunPython(migrations.RunPython.noop, release_triggers_again, elidable=False),
        migrations.AlterField(
            model_name="release",
            name="held_seconds",
            field=models.PositiveSmallIntegerField(
                blank=True, default=0, null=True, validators=[django.core.validators.MaxValueValidator(600)]
            ),
        ),
        migrations.RunPython(release_triggers_again, not_timed_as_before, elidable=False),
    ]
