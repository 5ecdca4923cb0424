"""After a red flag: no session of any kind starts until the person says a clinician has assessed them since."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import SafetyAnswer, Session, SessionStatus
from journal.redflags import RedFlag, RedFlagTier
from journal.runner.forms import red_flag_field_name
from routines.models import Point
from tests.factories import make_routine, make_session, on_day, session_url

pytestmark = pytest.mark.django_db

URL = reverse("journal:red_flag_follow_up")
QUICK_LOG = reverse("journal:quick_log")
QUESTION = "Has a doctor, nurse or physiotherapist assessed you since then?"


def report(user, item=RedFlag.SADDLE, days_ago=0) -> Session:
    return on_day(user, days_ago, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES, red_flag_items=[item])


def start(client, routine, **kwargs):
    return client.post(reverse("journal:session_start", args=[routine.pk]), **kwargs)


def quick_log_data(**extra) -> dict:
    point = Point.objects.builtin().first()
    return {
        "key": str(uuid.uuid4()),
        "point": point.pk,
        "side": "left",
        "pain_now": "3",
        "pressure": "3",
        "none_apply": "on",
        **extra,
    }


def test_the_timer_does_not_start_until_the_question_is_answered(ready, owner_client):
    flagged = report(ready, days_ago=2)
    routine = make_routine(ready)
    response = start(owner_client, routine, headers={"Referer": "/routines/"})
    assert response.status_code == 302
    assert response["Location"] == URL + "?next=%2Froutines%2F"
    assert Session.objects.filter(user=ready).count() == 1  # only the report
    page = owner_client.get(response["Location"]).content.decode()
    assert QUESTION in page
    assert flagged.local_date.strftime("%a %-d %b %Y") in page  # "since you reported it on <date>"
    assert RedFlag.SADDLE.label in page


def test_answering_not_yet_keeps_every_start_closed(ready, owner_client):
    report(ready)
    response = owner_client.post(URL, {"assessed": "no"})
    assert response.status_code == 200
    assert "No session can start until a clinician has assessed you" in response.content.decode()
    assert Session.objects.awaiting_assessment().count() == 1
    assert start(owner_client, make_routine(ready))["Location"].startswith(URL)
    assert owner_client.get(QUICK_LOG)["Location"].startswith(URL)


def test_answering_yes_records_it_and_opens_the_way(ready, owner_client):
    flagged = report(ready)
    older = report(ready, RedFlag.FEVER, days_ago=3)
    response = owner_client.post(URL, {"assessed": "yes", "next": "/routines/"})
    assert response.status_code == 302 and response["Location"] == "/routines/"
    for session in (flagged, older):
        session.refresh_from_db()
        assert session.red_flag_assessed_at is not None
    routine = make_routine(ready)
    assert start(owner_client, routine)["Location"].startswith("/journal/sessions/")
    # A replay of the same "yes" changes nothing and goes on.
    assessed_at = Session.objects.get(pk=flagged.pk).red_flag_assessed_at
    owner_client.post(URL, {"assessed": "yes"})
    assert Session.objects.get(pk=flagged.pk).red_flag_assessed_at == assessed_at


def test_the_quick_log_asks_first_and_saves_nothing(ready, owner_client):
    report(ready)
    response = owner_client.post(QUICK_LOG, quick_log_data(), headers={"Referer": QUICK_LOG})
    assert response["Location"].startswith(URL)
    assert Session.objects.filter(user=ready).count() == 1
    assert not Session.objects.filter(routine_name="Quick log").exists()


def test_a_second_tab_cannot_carry_on_past_a_report(ready, owner_client):
    """Tab one shows the check of a session; tab two reports a red flag; tab one's "none of these" is refused."""
    routine_one, routine_two = make_routine(ready), make_routine(ready)
    start(owner_client, routine_one)
    start(owner_client, routine_two)
    first, second = Session.objects.filter(user=ready).order_by("pk")
    owner_client.post(session_url("session_check", second), {red_flag_field_name(RedFlag.BOTH_LEGS): "yes"})
    response = owner_client.post(session_url("session_check", first), {"none_apply": "on"})
    assert response["Location"].startswith(URL)
    first.refresh_from_db()
    assert first.status == SessionStatus.STOPPED and first.safety_check == SafetyAnswer.NOT_ASKED
    assert first.releases.count() == 0


def test_a_replayed_start_post_after_a_report_starts_nothing(ready, owner_client, htmx_headers):
    routine = make_routine(ready)
    start(owner_client, routine)
    session = Session.objects.get(user=ready)
    owner_client.post(session_url("session_check", session), {red_flag_field_name(RedFlag.SEXUAL): "unsure"})
    replay = start(owner_client, routine)  # the very same start form, sent again
    assert replay["Location"].startswith(URL)
    over_htmx = start(owner_client, routine, headers=htmx_headers)
    assert over_htmx.status_code == 200 and over_htmx["HX-Redirect"].startswith(URL)
    assert Session.objects.filter(user=ready).count() == 1


def test_a_same_day_report_asks_the_same_question_next_time(ready, owner_client):
    report(ready, RedFlag.SEVERE_PAIN)
    assert Session.objects.get().red_flag_tier == RedFlagTier.TODAY
    page = owner_client.get(start(owner_client, make_routine(ready))["Location"]).content.decode()
    assert QUESTION in page and "Please see a doctor today" in page


def test_the_dashboard_leads_with_the_safety_box_not_a_start_button(ready, owner_client):
    on_day(ready, 1, pain_before=4)  # a last routine the dashboard would offer
    report(ready)
    html = owner_client.get(reverse("home")).content.decode()
    assert "data-open-red-flag" in html and "Please get help now" in html
    assert "Start your last routine" not in html
    assert html.index("Please get help now") < html.index("<footer")
    owner_client.post(URL, {"assessed": "yes"})
    assert "Start your last routine" in owner_client.get(reverse("home")).content.decode()


def test_with_no_open_report_the_page_goes_straight_on(ready, owner_client):
    response = owner_client.get(URL, {"next": "/routines/"})
    assert response.status_code == 302 and response["Location"] == "/routines/"
    outside = owner_client.get(URL, {"next": "https://evil.example/"})
    assert outside["Location"] == reverse("home")


def test_bad_answer_is_a_clear_error_and_changes_nothing(ready, owner_client):
    report(ready)
    for data in ({}, {"assessed": "maybe"}):
        response = owner_client.post(URL, data)
        assert response.status_code == 422
        assert "Please answer yes or no." in response.content.decode()
    assert Session.objects.awaiting_assessment().count() == 1


def test_htmx_gets_the_partial(ready, owner_client, htmx_headers):
    report(ready)
    response = owner_client.post(URL, {"assessed": "no"}, headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="follow-up"' in body and "<html" not in body


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_wrong_method_is_405(owner_client):
    assert owner_client.put(URL).status_code == 405


def test_another_users_report_is_not_theirs(ready, other_user, other_client, owner_client):
    report(other_user)
    assert owner_client.get(URL, {"next": "/routines/"})["Location"] == "/routines/"
    other_client.post(URL, {"assessed": "yes"})
    assert Session.objects.get(user=other_user).red_flag_assessed_at is not None


def test_assessed_reports_no_longer_gate(ready, owner_client):
    make_session(
        ready, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES, red_flag_assessed_at=timezone.now()
    )
    assert start(owner_client, make_routine(ready))["Location"].startswith("/journal/sessions/")


def test_the_gate_costs_one_query(ready, owner_client, django_assert_num_queries):
    from journal.runner.red_flags import has_open_red_flag

    with django_assert_num_queries(1):
        assert has_open_red_flag(ready) is False


# Warning signs reported late are never dropped -----------------------------------------------------------------


def test_a_sign_reported_from_a_second_tab_after_the_check_stops_the_session(ready, owner_client):
    from journal.redflags import RedFlag
    from tests.factories import make_routine

    session = Session.objects.start(ready, make_routine(ready, steps=2))
    url = reverse("journal:session_check", args=[session.pk])
    owner_client.post(url, {"none_apply": "on", "pain_before": "4"})
    session.refresh_from_db()
    assert session.is_open and not session.red_flag
    response = owner_client.post(url, {"rf_both_legs": "yes", "pain_before": "9"})  # the other tab's answer
    session.refresh_from_db()
    assert session.red_flag and RedFlag.BOTH_LEGS in session.red_flag_items and not session.is_open
    assert response.status_code == 302
    start = owner_client.post(reverse("journal:session_start", args=[session.routine_id]))
    assert start["Location"].startswith(reverse("journal:red_flag_follow_up"))


def test_a_replayed_quick_log_that_now_reports_a_sign_records_it(ready, owner_client):
    import uuid

    from routines.models import Point

    form = {
        "key": str(uuid.uuid4()),
        "point": Point.objects.builtin().first().pk,
        "side": "left",
        "pain_now": "3",
        "pressure": "3",
        "tender": "yes",
    }
    owner_client.post(reverse("journal:quick_log"), {**form, "none_apply": "on"})
    owner_client.post(reverse("journal:quick_log"), {**form, "rf_saddle": "yes"})  # Back, changed answers, Send
    session = Session.objects.get(user=ready)
    assert session.red_flag and session.releases.count() == 1
    assert owner_client.get(reverse("journal:quick_log"))["Location"].startswith(reverse("journal:red_flag_follow_up"))


def test_an_open_report_cannot_be_deleted_away(ready, owner_client):
    import uuid

    from routines.models import Point

    form = {
        "key": str(uuid.uuid4()),
        "point": Point.objects.builtin().first().pk,
        "side": "left",
        "pain_now": "3",
        "pressure": "3",
        "tender": "yes",
    }
    owner_client.post(reverse("journal:quick_log"), {**form, "rf_saddle": "yes"})
    session = Session.objects.get(user=ready)
    response = owner_client.post(reverse("journal:session_delete", args=[session.pk]))
    assert response["Location"] == reverse("journal:red_flag_follow_up")
    assert Session.objects.filter(pk=session.pk).exists()
