"""Answers recorded when the check was one yes/no question are kept honestly: a "yes" becomes an unspecified sign."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from journal.models import Session
from journal.redflags import RedFlag, RedFlagTier
from tests.factories import ensure_catalogue, make_user, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("journal", "0005_session_indexes")]
AFTER = [("journal", "0006_red_flag_items")]


def test_old_yes_answers_become_unspecified_emergency_reports_awaiting_follow_up():
    ensure_catalogue()
    user = make_user("before-items")
    executor = migrate(BEFORE)
    try:
        OldSession = executor.loader.project_state(BEFORE).apps.get_model("journal", "Session")
        now = timezone.now()
        for answer in ("yes", "no", ""):
            OldSession.objects.create(
                user_id=user.pk,
                routine_name=f"Old {answer}",
                local_date=now.date(),
                safety_check=answer,
                status="stopped",
            )
    finally:
        migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    rows = {s.routine_name: s for s in Session.objects.filter(user=user)}
    assert rows["Old yes"].red_flag_items == [RedFlag.UNSPECIFIED]
    assert rows["Old yes"].red_flag_tier == RedFlagTier.EMERGENCY
    assert rows["Old yes"].red_flag_assessed_at is None
    assert "before the app asked about each sign" in rows["Old yes"].red_flag_text
    for answer in ("no", ""):
        assert rows[f"Old {answer}"].red_flag_items == [] and rows[f"Old {answer}"].red_flag_tier == ""
