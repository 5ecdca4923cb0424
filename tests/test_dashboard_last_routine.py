"""The dashboard offers the last routine still in use: an archived one is passed over."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.dashboard import dashboard_context
from journal.models import SessionStatus
from tests.factories import ensure_catalogue, make_routine, make_session


@pytest.mark.django_db
def test_the_last_routine_skips_an_archived_one(owner):
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    kept = make_routine(owner=owner, name="Kept")
    shelved = make_routine(owner=owner, name="Shelved", archived=True)
    now = timezone.now()
    for routine, days in [(kept, 2), (shelved, 1)]:
        make_session(
            owner,
            routine,
            started_at=now - timedelta(days=days),
            routine_name=routine.name,
            status=SessionStatus.COMPLETED,
        )
    assert dashboard_context(owner)["last_routine"] == kept
    shelved.archived = False
    shelved.save(update_fields=["archived"])
    assert dashboard_context(owner)["last_routine"] == shelved
