"""Releases carry a copy of their session's user and local date, so per-point trends read one covering index.

Existing rows are filled in from their sessions before the columns become required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_sessions(apps, schema_editor):
    Release = apps.get_model("journal", "Release")
    Session = apps.get_model("journal", "Session")
    session = Session.objects.filter(pk=OuterRef("session_id"))
    Release.objects.update(
        user_id=Subquery(session.values("user_id")[:1]),
        local_date=Subquery(session.values("local_date")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_runner_idempotency_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="release",
            name="local_date",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(copy_from_sessions, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="release",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="release",
            name="local_date",
            field=models.DateField(editable=False),
        ),
        migrations.RemoveIndex(model_name="release", name="release_point_side"),
        migrations.AddIndex(
            model_name="release",
            index=models.Index(
                fields=[
                    "user",
                    "point",
                    "side",
                    "skipped",
                    "local_date",
                    "tender",
                    "pressure",
                    "pain_now",
                    "point_name",
                ],
                name="release_user_point_side",
            ),
        ),
        migrations.AddIndex(
            model_name="release",
            index=models.Index(fields=["user", "local_date"], name="release_user_date"),
        ),
    ]
