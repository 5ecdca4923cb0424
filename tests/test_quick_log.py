"""'I did this at the gym': one release logged without the timer, kept as a completed one-step session."""

import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from journal.models import QUICK_LOG_NAME, Release, Session, SessionStatus
from routines.models import Point
from tests.factories import ensure_catalogue, make_point, make_user

pytestmark = pytest.mark.django_db

URL = reverse("journal:quick_log")


@pytest.fixture(autouse=True)
def acknowledged(request):
    """The quick log needs the safety notice acknowledged (tests/test_quick_log_safety.py proves it): here it is."""
    for name in ("owner", "other_user"):
        if name in request.fixturenames:
            request.getfixturevalue(name).profile.acknowledge_safety()


def data(point, **extra):
    values = {
        "key": str(uuid.uuid4()),
        "point": point.pk,
        "side": "right",
        "pressure": "6",
        "pain_now": "3",
        "tender": "yes",
        "notes": "Gym.",
        "none_apply": "on",
    }
    values.update(extra)
    return {k: v for k, v in values.items() if v is not None}


def test_form_lists_catalogue_and_own_points_only(owner, other_user, owner_client):
    mine = make_point(owner, name="My calf spot")
    theirs = make_point(other_user, name="Their spot")
    html = owner_client.get(URL).content.decode()
    assert "My calf spot" in html
    assert "Their spot" not in html
    assert Point.objects.builtin().first().name in html
    assert 'name="pressure"' in html
    assert "7<" in html and "strong" in html  # the anchors of the pressure scale are shown
    response = owner_client.post(URL, data(theirs))
    assert response.status_code == 422
    assert not Session.objects.exists()
    owner_client.post(URL, data(mine))
    assert Release.objects.get().point == mine


def test_quick_log_makes_a_completed_one_release_session(owner, owner_client):
    point = Point.objects.builtin().get(slug="glute-top")
    response = owner_client.post(URL, data(point))
    session = Session.objects.get(user=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:session_summary", args=[session.pk])
    assert session.status == SessionStatus.COMPLETED
    assert session.routine is None
    assert session.routine_name == QUICK_LOG_NAME
    assert session.finished_at is not None
    assert session.local_date == owner.profile.local_date(session.started_at)
    release = session.releases.get()
    assert (release.position, release.point, release.side, release.pressure, release.pain_now) == (
        1,
        point,
        "right",
        6,
        3,
    )
    assert release.tender is True
    assert release.held_seconds is None  # no seconds given: not timed (tests/test_not_timed.py)
    assert release.prescribed_seconds == point.default_hold_seconds
    summary = owner_client.get(response["Location"]).content.decode()
    assert point.name in summary
    assert "Logged." in summary
    # It lasted no time the app measured: no "0 minutes" in the list or on its page.
    assert "0\xa0minutes" not in owner_client.get(reverse("journal:session_list")).content.decode()
    detail = owner_client.get(reverse("journal:session_detail", args=[session.pk])).content.decode()
    assert "Logged without the timer" in detail and "0\xa0minutes" not in detail


def test_quick_log_over_htmx_redirects_the_page(owner, owner_client, htmx_headers):
    point = Point.objects.builtin().first()
    response = owner_client.post(URL, data(point, held_seconds="50"), headers=htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/journal/sessions/")
    assert Release.objects.get().held_seconds == 50


@pytest.mark.parametrize(
    "bad",
    [
        {"pain_now": "11"},
        {"pain_now": "-1"},
        {"pain_now": "abc"},
        {"pressure": None},
        {"side": "middle"},
        {"side": None},
        {"held_seconds": "0"},
        {"held_seconds": "9999"},
        {"notes": "x" * 10_000},
        {"point": "999999"},
    ],
)
def test_bad_input_is_refused_and_nothing_saved(owner, owner_client, htmx_headers, bad):
    values = data(Point.objects.builtin().first())
    values.update(bad)
    values = {k: v for k, v in values.items() if v is not None}
    response = owner_client.post(URL, values, headers=htmx_headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="quick-log-form"' in html
    assert "invalid-feedback" in html
    assert not Session.objects.exists()


def test_anonymous_goes_to_login(anonymous_client):
    for response in (anonymous_client.get(URL), anonymous_client.post(URL, {})):
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert not Session.objects.exists()


def test_wrong_method_is_405(owner_client):
    assert owner_client.put(URL).status_code == 405
    assert owner_client.delete(URL).status_code == 405


def test_quick_log_summary_is_private(owner, owner_client, other_client):
    owner_client.post(URL, data(Point.objects.builtin().first()))
    session = Session.objects.get()
    assert other_client.get(reverse("journal:session_summary", args=[session.pk])).status_code == 404


# Idempotency: the form's one-time key ---------------------------------------------------------------------------


def rendered_key(html: str) -> str:
    match = re.search(r'name="key" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries a one-time key"
    return match.group(1)


def test_each_drawn_form_carries_its_own_one_time_key(owner_client):
    first = rendered_key(owner_client.get(URL).content.decode())
    second = rendered_key(owner_client.get(URL).content.decode())
    assert uuid.UUID(first) != uuid.UUID(second)
    assert 'type="hidden" name="key"' in owner_client.get(URL).content.decode()


def test_same_post_five_times_makes_one_session_and_one_release(owner, owner_client, htmx_headers):
    point = Point.objects.builtin().get(slug="glute-top")
    values = data(point, key=rendered_key(owner_client.get(URL).content.decode()))
    responses = [owner_client.post(URL, values) for _ in range(3)]
    responses += [owner_client.post(URL, values, headers=htmx_headers) for _ in range(2)]
    session = Session.objects.get(user=owner)
    summary = reverse("journal:session_summary", args=[session.pk])
    assert [r.status_code for r in responses] == [302, 302, 302, 200, 200]
    assert [r.get("Location") or r["HX-Redirect"] for r in responses] == [summary] * 5
    assert Release.objects.count() == 1
    assert str(session.idempotency_key) == values["key"]
    page = owner_client.get(summary).content.decode()
    assert "This release was already saved, so it was not logged twice." in page
    assert "Server Error" not in page


def test_a_replay_with_changed_answers_changes_nothing(owner, owner_client):
    point = Point.objects.builtin().first()
    values = data(point, pain_now="3")
    owner_client.post(URL, values)
    owner_client.post(URL, {**values, "pain_now": "9", "notes": "Changed."})
    release = Release.objects.get()
    assert (release.pain_now, release.notes) == (3, "Gym.")


def test_two_forms_log_two_releases(owner, owner_client):
    point = Point.objects.builtin().first()
    for _ in range(2):
        key = rendered_key(owner_client.get(URL).content.decode())
        assert owner_client.post(URL, data(point, key=key)).status_code == 302
    assert Session.objects.filter(user=owner).count() == 2
    assert Release.objects.count() == 2


@pytest.mark.parametrize("key", [None, "", "not-a-uuid", "1234"])
def test_a_missing_or_malformed_key_saves_nothing_and_offers_a_fresh_form(owner_client, htmx_headers, key):
    point = Point.objects.builtin().first()
    values = data(point, key=key, notes="Keep this.")  # key=None leaves it out
    response = owner_client.post(URL, values, headers=htmx_headers)
    html = response.content.decode()
    assert response.status_code == 422
    assert not Session.objects.exists()
    assert "This form was out of date, so nothing was saved yet." in html
    assert "Keep this.</textarea>" in html  # the answers are still there
    fresh = rendered_key(html)
    again = owner_client.post(URL, data(point, key=fresh, notes="Keep this."), headers=htmx_headers)
    assert again.status_code == 200
    assert Release.objects.get().notes == "Keep this."


def test_another_users_key_is_never_theirs(owner, other_user, owner_client, other_client):
    point = Point.objects.builtin().first()
    values = data(point)
    owner_client.post(URL, values)
    mine = Session.objects.get(user=owner)
    response = other_client.post(URL, {**values, "notes": "Theirs."})
    theirs = Session.objects.get(user=other_user)
    assert response["Location"] == reverse("journal:session_summary", args=[theirs.pk])
    assert theirs.pk != mine.pk
    assert theirs.releases.get().notes == "Theirs."
    assert mine.releases.get().notes == "Gym."


def test_an_empty_post_is_a_clear_error(owner_client):
    response = owner_client.post(URL, {})
    assert response.status_code == 422
    assert "invalid-feedback" in response.content.decode()
    assert not Session.objects.exists()


def test_failed_request_offers_a_retry_box(owner_client):
    html = owner_client.get(URL).content.decode()
    form = html[html.index('id="quick-log-form"') :]
    assert "data-retry hidden" in form
    assert ">Try again</button>" in form
    assert "js/retry.js" in html


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_of_one_form_make_exactly_one_session():
    ensure_catalogue()  # an earlier transactional test's flush may have emptied it
    user = make_user("parallel-quick")
    user.profile.acknowledge_safety()
    point = Point.objects.builtin().first()
    values = data(point)
    statuses: list[int] = []
    locations: set[str] = set()
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def post(headers: dict) -> None:
        try:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            barrier.wait(timeout=10)
            response = client.post(URL, values, headers=headers)
            statuses.append(response.status_code)
            locations.add(response.get("Location") or response["HX-Redirect"])
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=({"HX-Request": "true"} if n % 2 else {},)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(statuses) == [200, 200, 200, 302, 302, 302]
    session = Session.objects.get(user=user)
    assert locations == {reverse("journal:session_summary", args=[session.pk])}
    assert Release.objects.for_user(user).count() == 1
