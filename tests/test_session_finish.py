"""Session.finished_with: when a finish sent again is the same finish (a replay) and not a conflicting one."""

import pytest

from journal.models import SessionStatus
from tests.factories import ensure_catalogue, make_session


@pytest.fixture
def session(owner):
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    return make_session(owner)


@pytest.mark.django_db
def test_an_open_session_was_not_finished_with_anything(session):
    assert session.finished_with(None, "") is False


@pytest.mark.django_db
def test_a_finished_session_was_finished_with_its_own_answers_only(session):
    session.finish(3, "Easier today.")
    assert session.finished_with(3, "Easier today.") is True
    assert session.finished_with(4, "Easier today.") is False
    assert session.finished_with(3, "") is False
    assert session.finished_with(None, "Easier today.") is False


@pytest.mark.django_db
def test_a_session_finished_without_answers_matches_empty_answers(session):
    session.finish()
    assert session.finished_with(None, "") is True


@pytest.mark.django_db
@pytest.mark.parametrize("status", [SessionStatus.STOPPED, SessionStatus.ABANDONED])
def test_a_session_that_ended_otherwise_was_never_finished(session, status):
    session.status = status
    session.save(update_fields=["status"])
    assert session.finished_with(None, "") is False
