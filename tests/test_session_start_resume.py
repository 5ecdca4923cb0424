"""Start on a routine with an unfinished session of it (nothing logged, started within the restart window): a
double tap or a retry lands on it without a word; a Start pressed later says it continues that session and offers
to start fresh, which sets the unfinished one aside and begins a new session."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Session, SessionStatus
from tests.factories import make_routine

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(ready):
    return make_routine(owner=ready, steps=2)


def start(client, routine, **data):
    return client.post(reverse("journal:session_start", args=[routine.pk]), data, follow=True)


def test_a_quick_second_start_continues_without_a_word(owner_client, routine):
    start(owner_client, routine)
    response = start(owner_client, routine)
    assert Session.objects.count() == 1
    assert b"unfinished session" not in response.content


def test_a_later_start_says_it_continues_and_offers_a_fresh_start(owner_client, routine):
    start(owner_client, routine)
    Session.objects.update(started_at=timezone.now() - timedelta(minutes=3))
    response = start(owner_client, routine)
    html = response.content.decode()
    assert Session.objects.count() == 1
    assert "You have an unfinished session from" in html
    assert 'name="fresh" value="yes"' in html and "start fresh" in html


def test_start_fresh_sets_the_unfinished_one_aside(owner_client, routine):
    start(owner_client, routine)
    first = Session.objects.get()
    Session.objects.update(started_at=timezone.now() - timedelta(minutes=3))
    response = start(owner_client, routine, fresh="yes")
    first.refresh_from_db()
    assert first.status == SessionStatus.ABANDONED
    latest = Session.objects.exclude(pk=first.pk).get()
    assert latest.status == SessionStatus.IN_PROGRESS
    assert response.redirect_chain[-1][0] == reverse("journal:session_run", args=[latest.pk])
    assert b"unfinished session" not in response.content


def test_start_fresh_touches_no_other_users_session(owner_client, other_user, routine):
    theirs = Session.objects.start(other_user, make_routine(owner=other_user))
    start(owner_client, routine, fresh="yes")
    theirs.refresh_from_db()
    assert theirs.status == SessionStatus.IN_PROGRESS
