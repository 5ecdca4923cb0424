"""Usernames are unique whatever their case, in the database: the sign-up form's check ("that username is taken",
case-insensitive) runs before the insert, so two sign-ups at once as "sam" and "Sam" both passed it. An expression
index holds on SQLite and PostgreSQL alike (Django cannot add a constraint to auth's own User model)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_profile_report_name_and_questions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE UNIQUE INDEX accounts_username_any_case ON auth_user (lower(username))",
            reverse_sql="DROP INDEX accounts_username_any_case",
        ),
    ]
