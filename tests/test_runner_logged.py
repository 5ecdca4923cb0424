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


def test_the_list_alone_comes_to_htmx_with_the_servers_rows(
    owner_client, running, htmx_headers, django_assert_max_num_queries
):
    """The runner fetches this once steps logged on the phone have reached the server (static/js/timer.js)."""
    url = reverse("journal:session_logged", args=[running.pk])
    with django_assert_max_num_queries(6):
        response = owner_client.get(url, headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="runner-logged"') and "<html" not in body
    assert "Logged so far (1 held, 1 skipped)" in body
    first, second = running.releases.get(position=1), running.releases.get(position=2)
    assert f'id="release-{first.pk}" class="runner-logged-item" data-position="1" data-skipped="0"' in body
    assert f'id="release-{second.pk}" class="runner-logged-item" data-position="2" data-skipped="1"' in body


def test_the_list_without_htmx_is_the_runner_page(owner_client, running):
    response = owner_client.get(reverse("journal:session_logged", args=[running.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("journal:session_run", args=[running.pk])


def test_the_list_is_the_users_own(other_client, running, htmx_headers):
    assert (
        other_client.get(reverse("journal:session_logged", args=[running.pk]), headers=htmx_headers).status_code == 404
    )


def test_a_step_logged_on_the_phone_is_named_as_the_servers_line(owner_client, running):
    """The log and skip forms carry the words the phone lists a step with until the server's row replaces it."""
    body = owner_client.get(reverse("journal:session_run", args=[running.pk])).content.decode()
    plan = running.plan[2]
    side = "Left" if plan["side"] == "left" else "Right"
    name = f'data-outbox-line="3. {side} {plan["point_name"].lower()}"'
    assert body.count(name) == 2  # the log form and the skip form
    assert f'data-outbox-hold="{plan["hold_seconds"]}"' in body
