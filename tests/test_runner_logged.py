"""During a session, what is logged so far is listed under the step (values of each release) and each release can
be corrected in place without leaving the session."""

import pytest
from django.urls import reverse

from journal.models import Session
from tests.factories import begun_a_while_ago, make_routine

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(ready):
    session = begun_a_while_ago(Session.objects.start(ready, make_routine(ready, steps=3, hold_seconds=45)))
    session.answer_safety_check(False, 5)
    session.log_release(1, held_seconds=40, tender=True, pressure=5, pain_now=4)
    session.skip(2)
    return session


def test_the_step_lists_what_is_logged_with_its_values(owner_client, running):
    body = owner_client.get(reverse("journal:session_run", args=[running.pk])).content.decode()
    assert "Logged so far (1 held, 1 skipped)" in body
    assert "40 s, tender, pressure 5, pain 4" in body and "skipped" in body
    first = running.releases.get(position=1)
    assert reverse("journal:release_edit", args=[running.pk, first.pk]) in body


def test_a_release_is_corrected_from_the_runner(owner_client, running, htmx_headers):
    first = running.releases.get(position=1)
    url = reverse("journal:release_edit", args=[running.pk, first.pk])
    form = owner_client.get(url, headers=htmx_headers)
    assert form.status_code == 200 and f'id="release-{first.pk}"' in form.content.decode()
    saved = owner_client.post(
        url,
        {"side": first.side, "tender": "true", "pressure": 3, "pain_now": 4, "held_seconds": 40, "notes": ""},
        headers=htmx_headers,
    )
    assert saved.status_code == 200
    first.refresh_from_db()
    assert first.pressure == 3
    running.refresh_from_db()
    assert running.is_open and running.current_position == 3  # the session goes on where it was


def test_nothing_is_listed_before_the_first_log(owner_client, ready):
    session = Session.objects.start(ready, make_routine(ready, steps=2))
    session.answer_safety_check(False, 5)
    assert "Logged so far" not in owner_client.get(reverse("journal:session_run", args=[session.pk])).content.decode()
