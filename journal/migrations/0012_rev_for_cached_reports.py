"""A random `rev` on every session and release, drawn again by the database on each insert and update (see
journal.models.REV_FIELD_HELP). Triggers rather than save(): queryset.update(), bulk_create() and raw SQL change
rows too, and a cached report must notice every change."""

from django.db import migrations, models

TABLES = ("journal_session", "journal_release")
SPAN = 2**40  # journal.models.REV_BITS

# SQLite cannot assign NEW in a BEFORE trigger: an AFTER trigger updates the row again. SQLite's recursive
# triggers are off (its default, and Django's), so that second update does not fire the trigger once more.
SQLITE_CREATE = (
    "CREATE TRIGGER {table}_rev_insert AFTER INSERT ON {table} "
    "BEGIN UPDATE {table} SET rev = abs(random() % {span}) WHERE id = NEW.id; END",
    "CREATE TRIGGER {table}_rev_update AFTER UPDATE ON {table} "
    "BEGIN UPDATE {table} SET rev = abs(random() % {span}) WHERE id = NEW.id; END",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS {table}_rev_insert", "DROP TRIGGER IF EXISTS {table}_rev_update")

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION journal_new_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.rev := floor(random() * {SPAN})::bigint;
    RETURN NEW;
END
$$;
"""
POSTGRES_CREATE = (
    "CREATE TRIGGER {table}_rev BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION journal_new_rev();"
)
POSTGRES_DROP = "DROP TRIGGER IF EXISTS {table}_rev ON {table};"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        if vendor == "sqlite":
            for statement in SQLITE_CREATE:
                schema_editor.execute(statement.format(table=table, span=SPAN))
        elif vendor == "postgresql":
            schema_editor.execute(POSTGRES_CREATE.format(table=table))
        else:
            raise NotImplementedError(f"No rev triggers for {vendor}: only SQLite and PostgreSQL are supported.")
        # Existing rows draw their first rev (the update trigger fires).
        schema_editor.execute(f"UPDATE {table} SET rev = rev")  # noqa: S608 - fixed table names


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for statement in SQLITE_DROP:
                schema_editor.execute(statement.format(table=table))
        elif vendor == "postgresql":
            schema_editor.execute(POSTGRES_DROP.format(table=table))
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS journal_new_rev();")


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0011_session_hold_stopped_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="rev",
            field=models.BigIntegerField(
                default=0,
                editable=False,
                help_text="Redrawn by the database on every insert and update; never set from Python.",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="rev",
            field=models.BigIntegerField(
                default=0,
                editable=False,
                help_text="Redrawn by the database on every insert and update; never set from Python.",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
