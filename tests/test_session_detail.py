"""journal:session_detail and its edits and deletes: ownership, validation, plain forms and htmx partials."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from journal.models import Release, SafetyAnswer, Session, SessionStatus
from tests.factories import make_release, make_session, make_user

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def session(owner):
    s = make_session(
        owner,
        started_at=START,
        finished_at=START + timedelta(minutes=10),
        status=SessionStatus.COMPLETED,
        pain_before=6,
        pain_after=5,
        notes="Stiff morning",
    )
    make_release(s, 1, tender=True, pressure=6, pain_now=5)
    make_release(s, 2, tender=False, pressure=3, pain_now=4)
    return s


@pytest.fixture
def release(session):
    return session.releases.get(position=1)


def urls(session, release):
    return {
        "detail": ("get", reverse("journal:session_detail", args=[session.pk])),
        "edit": ("get", reverse("journal:session_edit", args=[session.pk])),
        "edit_post": ("post", reverse("journal:session_edit", args=[session.pk])),
        "release_edit": ("get", reverse("journal:release_edit", args=[session.pk, release.pk])),
        "release_post": ("post", reverse("journal:release_edit", args=[session.pk, release.pk])),
        "release_delete": ("post", reverse("journal:release_delete", args=[session.pk, release.pk])),
        "session_delete": ("post", reverse("journal:session_delete", args=[session.pk])),
    }


def session_data(**overrides):
    data = {
        "started_at": "2026-03-01T09:00",
        "finished_at": "2026-03-01T09:10",
        "pain_before": "6",
        "pain_after": "5",
        "notes": "Stiff morning",
    }
    data.update(overrides)
    return data


def release_data(**overrides):
    data = {"side": "left", "held_seconds": "40", "tender": "true", "pressure": "6", "pain_now": "5", "notes": ""}
    data.update(overrides)
    return data


# Ownership and methods -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["detail", "edit", "edit_post", "release_edit", "release_post", "release_delete", "session_delete"]
)
def test_anonymous_is_sent_to_log_in(anonymous_client, session, release, name):
    method, url = urls(session, release)[name]
    response = getattr(anonymous_client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name", ["detail", "edit", "edit_post", "release_edit", "release_post", "release_delete", "session_delete"]
)
def test_another_user_gets_404_and_nothing_changes(other_client, session, release, name):
    method, url = urls(session, release)[name]
    data = session_data(pain_before="0") if name == "edit_post" else release_data(pain_now="0")
    response = getattr(other_client, method)(url, data) if method == "post" else other_client.get(url)
    assert response.status_code == 404
    session.refresh_from_db()
    release.refresh_from_db()
    assert session.pain_before == 6 and release.pain_now == 5 and session.releases.count() == 2


def test_release_of_another_session_is_404(owner, owner_client, session, release):
    mine_too = make_session(owner)
    url = reverse("journal:release_edit", args=[mine_too.pk, release.pk])
    assert owner_client.get(url).status_code == 404
    assert owner_client.post(reverse("journal:release_delete", args=[mine_too.pk, release.pk])).status_code == 404
    assert Release.objects.filter(pk=release.pk).exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [("post", "detail"), ("delete", "edit"), ("get", "release_delete"), ("get", "session_delete")],
)
def test_wrong_method_is_405(owner_client, session, release, method, name):
    _, url = urls(session, release)[name]
    assert getattr(owner_client, method)(url).status_code == 405
    assert Session.objects.filter(pk=session.pk).exists() and Release.objects.filter(pk=release.pk).exists()


# The page --------------------------------------------------------------------------------------------------------


def test_detail_shows_the_session_and_its_releases(owner_client, session):
    html = owner_client.get(reverse("journal:session_detail", args=[session.pk])).text
    assert session.routine_name in html and "Sun 1 Mar 2026" in html and "10\xa0minutes" in html
    assert "Stiff morning" in html and "Change within the session: -1" in html
    assert html.count('class="card mb-2"') == 2
    assert "Step 1:" in html and "Step 2:" in html and "6 / 10" in html and "3 / 10" in html
    assert "Yes, delete this session" in html and "<details" in html  # deleting asks first


def test_red_flag_session_shows_the_safety_advice(owner, owner_client):
    flagged = make_session(owner, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    html = owner_client.get(reverse("journal:session_detail", args=[flagged.pk])).text
    assert "Please get help now" in html and "No releases were logged" in html


# Editing the session ---------------------------------------------------------------------------------------------


def test_a_red_flag_session_cannot_move_to_after_its_assessment(owner, owner_client):
    """The report prints "assessed by a clinician by <date>" under each red flag: moved past that date, the flag
    would read as assessed before it was reported."""
    flagged = make_session(
        owner,
        started_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
        status=SessionStatus.STOPPED,
        safety_check=SafetyAnswer.YES,
        red_flag_items=["both_legs"],
        red_flag_assessed_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
    )
    url = reverse("journal:session_edit", args=[flagged.pk])
    moved = owner_client.post(url, session_data(started_at="2026-03-05T09:00", finished_at=""))
    assert moved.status_code == 422 and "cannot move to after" in moved.text
    flagged.refresh_from_db()
    assert flagged.started_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    earlier = owner_client.post(url, session_data(started_at="2026-02-28T09:00", finished_at=""))
    assert earlier.status_code == 302  # before the assessment: still fine


def test_plain_edit_page_shows_the_form_in_place(owner_client, session):
    html = owner_client.get(reverse("journal:session_edit", args=[session.pk])).text
    assert "Edit the session" in html and 'name="pain_before"' in html and "Step 1:" in html


def test_plain_edit_saves_and_redirects(owner_client, session):
    url = reverse("journal:session_edit", args=[session.pk])
    response = owner_client.post(url, session_data(pain_before="7", pain_after="3", notes="Better"))
    assert response.status_code == 302 and response["Location"] == reverse("journal:session_detail", args=[session.pk])
    session.refresh_from_db()
    assert (session.pain_before, session.pain_after, session.notes) == (7, 3, "Better")


def test_moving_the_start_moves_the_local_date(db):
    user = make_user("la", time_zone="America/Los_Angeles")
    from django.test import Client

    client = Client()
    client.force_login(user)
    s = make_session(user, started_at=datetime(2026, 3, 5, 20, 0, tzinfo=UTC), status=SessionStatus.COMPLETED)
    # 23:30 on 6 March in Los Angeles is 07:30 UTC on 7 March: the local date is the 6th.
    client.post(
        reverse("journal:session_edit", args=[s.pk]),
        session_data(started_at="2026-03-06T23:30", finished_at="2026-03-06T23:50"),
    )
    s.refresh_from_db()
    assert s.started_at == datetime(2026, 3, 7, 7, 30, tzinfo=UTC) and s.local_date == date(2026, 3, 6)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pain_before": "11"}, "pain_before", "less than or equal to 10"),
        ({"pain_after": "-1"}, "pain_after", "greater than or equal to 0"),
        ({"notes": "x" * 1001}, "notes", "at most 1000 characters"),
        ({"started_at": "not a time"}, "started_at", "Enter a valid date/time"),
        ({"finished_at": "2026-03-01T08:00"}, "finished_at", "The finish must come after the start."),
        ({"finished_at": "2026-03-02T09:00"}, "finished_at", "longer than 12 hours"),
    ],
)
def test_invalid_session_edit_is_422_and_saves_nothing(owner_client, session, overrides, field, message):
    response = owner_client.post(reverse("journal:session_edit", args=[session.pk]), session_data(**overrides))
    assert response.status_code == 422
    assert message in response.text and "Nothing was saved" in response.text
    assert field in response.context["session_form"].errors
    session.refresh_from_db()
    assert (session.pain_before, session.pain_after, session.notes) == (6, 5, "Stiff morning")


def test_htmx_edit_form_and_save_swap_partials(owner_client, session, htmx_headers):
    url = reverse("journal:session_edit", args=[session.pk])
    form = owner_client.get(url, headers=htmx_headers)
    assert form.status_code == 200 and "<html" not in form.text
    assert form.text.lstrip().startswith('<section id="session-summary"') and 'hx-post="' in form.text
    bad = owner_client.post(url, session_data(pain_before="12"), headers=htmx_headers)
    assert bad.status_code == 422 and "<html" not in bad.text and 'name="pain_before"' in bad.text
    good = owner_client.post(url, session_data(pain_before="2"), headers=htmx_headers)
    assert good.status_code == 200 and "<html" not in good.text
    assert "Session saved." in good.text and "Edit session" in good.text
    session.refresh_from_db()
    assert session.pain_before == 2


# Editing a release -----------------------------------------------------------------------------------------------


def test_plain_release_edit(owner_client, session, release):
    url = reverse("journal:release_edit", args=[session.pk, release.pk])
    page = owner_client.get(url)
    assert page.status_code == 200 and "Edit step 1" in page.text and "Step 2:" in page.text
    response = owner_client.post(url, release_data(side="right", held_seconds="55", tender="false", pressure="2"))
    assert response.status_code == 302 and response["Location"].endswith(f"#release-{release.pk}")
    release.refresh_from_db()
    assert (release.side, release.held_seconds, release.tender, release.pressure) == ("right", 55, False, 2)


def test_release_tender_can_be_cleared(owner_client, session, release):
    owner_client.post(reverse("journal:release_edit", args=[session.pk, release.pk]), release_data(tender=""))
    release.refresh_from_db()
    assert release.tender is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pressure": "11"}, "pressure"),
        ({"pain_now": "-2"}, "pain_now"),
        ({"held_seconds": "601"}, "held_seconds"),
        ({"held_seconds": "-1"}, "held_seconds"),
        ({"side": "middle"}, "side"),
        ({"tender": "maybe"}, "tender"),
        ({"notes": "y" * 1001}, "notes"),
        ({"skipped": "on", "held_seconds": "30"}, "held_seconds"),
    ],
)
def test_invalid_release_edit_is_422_and_saves_nothing(owner_client, session, release, overrides, field):
    url = reverse("journal:release_edit", args=[session.pk, release.pk])
    response = owner_client.post(url, release_data(**{"pain_now": "1", **overrides}))
    assert response.status_code == 422 and "Nothing was saved" in response.text
    assert field in response.context["release_form"].errors
    release.refresh_from_db()
    assert (release.pain_now, release.pressure, release.side) == (5, 6, "left")


def test_htmx_release_edit(owner_client, session, release, htmx_headers):
    url = reverse("journal:release_edit", args=[session.pk, release.pk])
    form = owner_client.get(url, headers=htmx_headers)
    assert form.text.lstrip().startswith(f'<article id="release-{release.pk}"') and "<html" not in form.text
    bad = owner_client.post(url, release_data(pressure="99"), headers=htmx_headers)
    assert bad.status_code == 422 and "<html" not in bad.text
    good = owner_client.post(url, release_data(pain_now="2"), headers=htmx_headers)
    assert good.status_code == 200 and "Release saved." in good.text and "2 / 10" in good.text
    assert "<html" not in good.text and "Step 2:" not in good.text


def test_htmx_release_edit_from_the_runner_answers_in_the_runner_list_shape(owner_client, session, release):
    """The runner's "Correct" (htmx, from the runner's page): the form's Cancel goes back to the runner, and the
    saved step comes back as a line of the "Logged so far" list with its adverse count, not as the session card."""
    run = reverse("journal:session_run", args=[session.pk])
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{run}"}
    url = reverse("journal:release_edit", args=[session.pk, release.pk])
    form = owner_client.get(url, headers=headers)
    assert f'href="{run}">Cancel</a>' in form.text
    good = owner_client.post(url, release_data(pain_now="2"), headers=headers)
    assert good.status_code == 200 and "<html" not in good.text
    assert good.text.lstrip().startswith(f'<div id="release-{release.pk}" class="runner-logged-item" data-position="1"')
    assert "pain 2" in good.text and ">Correct<" in good.text and "<article" not in good.text
    assert 'id="adverse-count" hx-swap-oob="true"' in good.text
    elsewhere = {"HX-Request": "true", "HX-Current-URL": "http://testserver/journal/sessions/"}
    assert "Release saved." in owner_client.post(url, release_data(pain_now="3"), headers=elsewhere).text


def test_no_notes_label_without_notes(owner_client, session, release):
    """A label with nothing after it is left out: the session's and each release's "Notes" only when written."""
    from journal.models import Release, Session

    Session.objects.filter(pk=session.pk).update(notes="")
    Release.objects.filter(session=session).update(notes="")
    url = reverse("journal:session_detail", args=[session.pk])
    html = owner_client.get(url).text
    assert ">Notes</dt>" not in html
    Release.objects.filter(pk=release.pk).update(notes="Eased off.")
    Session.objects.filter(pk=session.pk).update(notes="A good day.")
    html = owner_client.get(url).text
    assert html.count(">Notes</dt>") == 2 and "Eased off." in html and "A good day." in html


# Deleting --------------------------------------------------------------------------------------------------------


def test_plain_release_delete(owner_client, session, release):
    response = owner_client.post(reverse("journal:release_delete", args=[session.pk, release.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("journal:session_detail", args=[session.pk])
    assert list(session.releases.values_list("position", flat=True)) == [2]


def test_htmx_release_delete_returns_a_notice(owner_client, session, release, htmx_headers):
    response = owner_client.post(reverse("journal:release_delete", args=[session.pk, release.pk]), headers=htmx_headers)
    assert response.status_code == 200 and "Release deleted" in response.text and "<html" not in response.text
    assert not Release.objects.filter(pk=release.pk).exists()


def test_plain_session_delete_takes_its_releases(owner_client, session):
    response = owner_client.post(reverse("journal:session_delete", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("journal:session_list")
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Release.objects.filter(session_id=session.pk).exists()


def test_htmx_session_delete_redirects_the_client(owner_client, session, htmx_headers):
    response = owner_client.post(reverse("journal:session_delete", args=[session.pk]), headers=htmx_headers)
    assert response["HX-Redirect"] == reverse("journal:session_list")
    assert not Session.objects.filter(pk=session.pk).exists()


def test_a_new_start_moves_the_releases_times_with_the_session(owner, owner_client, session):
    before = {r.pk: (r.started_at, r.ended_at, r.logged_at) for r in session.releases.all()}
    quick = session.releases.get(position=2)
    Release.objects.filter(pk=quick.pk).update(started_at=None)  # a quick log records only the end
    response = owner_client.post(
        reverse("journal:session_edit", args=[session.pk]),
        session_data(started_at="2026-03-01T10:30", finished_at="2026-03-01T10:40"),
    )
    assert response.status_code == 302
    shift = timedelta(minutes=90)
    for release in session.releases.all():
        started, ended, logged = before[release.pk]
        assert release.ended_at == ended + shift
        assert release.logged_at == (logged + shift if logged else None)
        assert release.started_at == (None if release.pk == quick.pk else started + shift)
        assert release.started_at is None or release.started_at >= START + shift


def test_an_edit_that_keeps_the_start_leaves_the_releases_alone(owner, owner_client, session):
    before = list(session.releases.values_list("started_at", "ended_at"))
    owner_client.post(reverse("journal:session_edit", args=[session.pk]), session_data(notes="Changed"))
    assert list(session.releases.values_list("started_at", "ended_at")) == before


# The adverse-response count follows an in-place edit -----------------------------------------------------------


def test_htmx_release_edit_swaps_the_adverse_count_out_of_band(owner_client, session, release, htmx_headers):
    url = reverse("journal:release_edit", args=[session.pk, release.pk])
    page = owner_client.get(reverse("journal:session_detail", args=[session.pk])).text
    assert '<div id="adverse-count">' in page and "Adverse responses:" not in page
    response = owner_client.post(url, release_data(pressure="9"), headers=htmx_headers)
    assert '<div id="adverse-count" hx-swap-oob="true">' in response.text
    assert "<strong>Adverse responses: 1</strong>" in response.text
    response = owner_client.post(url, release_data(pressure="5"), headers=htmx_headers)
    assert '<div id="adverse-count" hx-swap-oob="true"></div>' in response.text


def test_htmx_release_delete_swaps_the_adverse_count_out_of_band(owner_client, session, release, htmx_headers):
    Release.objects.filter(pk=release.pk).update(pressure=9)
    other = session.releases.get(position=2)
    Release.objects.filter(pk=other.pk).update(stopped_early=True)
    response = owner_client.post(reverse("journal:release_delete", args=[session.pk, release.pk]), headers=htmx_headers)
    assert '<div id="adverse-count" hx-swap-oob="true">' in response.text
    assert "<strong>Adverse responses: 1</strong>" in response.text
