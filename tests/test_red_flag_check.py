"""The red-flag check before a session: one question per warning sign, grouped by urgency, each sign recorded."""

import pytest
from django.urls import reverse

from journal.models import SafetyAnswer, Session, SessionStatus
from journal.redflags import ASKED_ITEMS, EMERGENCY_ITEMS, TODAY_ITEMS, RedFlag, RedFlagTier, labels, tier_of
from journal.runner.forms import SafetyCheckForm, red_flag_field_name
from tests.factories import make_routine, make_running_session, make_session, session_url

pytestmark = pytest.mark.django_db


def started(user) -> Session:
    return make_session(user, make_routine(user, steps=2))


def check(client, session, **answers):
    return client.post(session_url("session_check", session), answers)


def all_no() -> dict:
    return {red_flag_field_name(item): "no" for item in ASKED_ITEMS}


def test_every_sign_is_its_own_question_in_two_groups(ready, owner_client):
    html = owner_client.get(session_url("session_run", started(ready))).content.decode()
    for item in ASKED_ITEMS:
        assert f'name="{red_flag_field_name(item)}"' in html
        assert item.label in html
    assert "Pain, tingling or numbness going down both legs" in html  # both legs: the sign the old question missed
    assert 'name="none_apply"' in html
    assert html.index("Do you have any of these now?") < html.index("And any of these?")
    assert 'name="red_flag"' not in html  # the one compound question is gone


def test_no_warning_sign_reads_as_optional(ready, owner_client):
    # Each sign may be left blank only because "None of these apply" answers them all: none may look skippable.
    html = owner_client.get(session_url("session_run", started(ready))).content.decode()
    check_part = html[html.index("Do you have any of these now?") : html.index('name="none_apply"')]
    assert "(optional)" not in check_part
    # The back-pain question says it is optional once (its legend), not again in its hint.
    assert html.count("Optional.") == 0 and "(optional)" in html[: html.index("Do you have any of these now?")]


def test_emergency_signs_offer_not_sure_and_same_day_signs_do_not():
    form = SafetyCheckForm()
    for item in EMERGENCY_ITEMS:
        assert [value for value, _ in form.fields[red_flag_field_name(item)].choices] == ["yes", "unsure", "no"]
    for item in TODAY_ITEMS:
        assert [value for value, _ in form.fields[red_flag_field_name(item)].choices] == ["yes", "no"]


@pytest.mark.parametrize("item", EMERGENCY_ITEMS, ids=lambda item: item.value)
def test_each_emergency_sign_stops_the_session_with_go_now_advice(ready, owner_client, item):
    session = started(ready)
    response = owner_client.post(
        session_url("session_check", session), {red_flag_field_name(item): "yes", "pain_before": "7"}, follow=True
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED
    assert session.safety_check == SafetyAnswer.YES
    assert session.red_flag_items == [item.value]
    assert session.red_flag_tier == RedFlagTier.EMERGENCY
    assert session.pain_before == 7
    html = response.content.decode()
    assert "Please get help now" in html and item.label in html
    assert "Do no releases until a clinician has assessed you" in html
    assert "today" not in html.split("Please get help now", 1)[1].split("</div>", 1)[0].lower()


@pytest.mark.parametrize("item", TODAY_ITEMS, ids=lambda item: item.value)
def test_each_same_day_sign_stops_the_session_with_see_a_doctor_today(ready, owner_client, item):
    session = started(ready)
    response = owner_client.post(session_url("session_check", session), {red_flag_field_name(item): "yes"}, follow=True)
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED
    assert session.red_flag_items == [item.value]
    assert session.red_flag_tier == RedFlagTier.TODAY
    html = response.content.decode()
    assert "Please see a doctor today" in html and item.label in html
    assert "Please get help now" not in html


@pytest.mark.parametrize("item", EMERGENCY_ITEMS, ids=lambda item: item.value)
def test_not_sure_counts_as_yes_for_an_emergency_sign(ready, owner_client, item):
    session = started(ready)
    check(owner_client, session, **{red_flag_field_name(item): "unsure"})
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED
    assert session.red_flag_items == [item.value]
    assert session.red_flag_tier == RedFlagTier.EMERGENCY


def test_not_sure_is_refused_for_a_same_day_sign(ready, owner_client):
    session = started(ready)
    response = check(owner_client, session, **{red_flag_field_name(RedFlag.FEVER): "unsure"})
    assert response.status_code == 422
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.NOT_ASKED and session.is_open


def test_several_signs_are_all_recorded_and_the_most_urgent_tier_wins(ready, owner_client):
    session = started(ready)
    check(
        owner_client,
        session,
        **{red_flag_field_name(RedFlag.FEVER): "yes", red_flag_field_name(RedFlag.SADDLE): "unsure"},
    )
    session.refresh_from_db()
    assert session.red_flag_items == [RedFlag.SADDLE, RedFlag.FEVER]  # in the order asked
    assert session.red_flag_tier == RedFlagTier.EMERGENCY
    assert session.red_flag_text == "; ".join(labels([RedFlag.SADDLE, RedFlag.FEVER]))


def test_none_of_these_is_one_clear_answer(ready, owner_client):
    session = started(ready)
    check(owner_client, session, none_apply="on", pain_before="4")
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.NO and session.is_open
    assert session.red_flag_items == [] and session.red_flag_tier == ""


def test_every_sign_answered_no_passes_without_the_box(ready, owner_client):
    session = started(ready)
    check(owner_client, session, **all_no())
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.NO and session.is_open


def test_a_sign_left_unanswered_without_the_box_is_a_clear_error(ready, owner_client):
    session = started(ready)
    answers = all_no()
    del answers[red_flag_field_name(RedFlag.SADDLE)]
    response = check(owner_client, session, **answers)
    assert response.status_code == 422
    assert "Answer each question below" in response.content.decode()
    session.refresh_from_db()
    assert session.safety_check == SafetyAnswer.NOT_ASKED


def test_a_yes_beside_none_of_these_counts_the_safer_way(ready, owner_client):
    session = started(ready)
    check(owner_client, session, none_apply="on", **{red_flag_field_name(RedFlag.BLADDER_BOWEL): "yes"})
    session.refresh_from_db()
    assert session.red_flag_items == [RedFlag.BLADDER_BOWEL]


def test_a_red_flag_stops_the_users_other_running_sessions(ready, owner_client):
    """No releases in another tab either: its session stops with the report."""
    other_tab = make_running_session(ready)
    check(owner_client, started(ready), **{red_flag_field_name(RedFlag.BOTH_LEGS): "yes"})
    other_tab.refresh_from_db()
    assert other_tab.status == SessionStatus.STOPPED
    refused = owner_client.post(
        session_url("release_log", other_tab), {"position": 1, "tender": "yes", "pressure": 3, "pain_now": 4}
    )
    assert refused.status_code == 302
    assert other_tab.releases.count() == 0


def test_the_session_detail_and_summary_name_the_signs(ready, owner_client):
    session = started(ready)
    check(owner_client, session, **{red_flag_field_name(RedFlag.ONE_LEG_WEAK): "yes"})
    for name in ("session_summary", "session_detail"):
        html = owner_client.get(session_url(name, session)).content.decode()
        assert RedFlag.ONE_LEG_WEAK.label in html


def test_tier_of_and_labels():
    assert tier_of([]) == ""
    assert tier_of([RedFlag.CALF]) == RedFlagTier.TODAY
    assert tier_of([RedFlag.CALF, RedFlag.CALF_BREATHLESS]) == RedFlagTier.EMERGENCY
    assert tier_of([RedFlag.UNSPECIFIED]) == RedFlagTier.EMERGENCY
    with pytest.raises(ValueError):
        tier_of(["made-up"])
    assert RedFlag.UNSPECIFIED not in ASKED_ITEMS


def test_a_report_without_signs_is_refused(ready):
    session = started(ready)
    with pytest.raises(ValueError):
        session.stop_for_red_flag([])
    assert Session.objects.get(pk=session.pk).is_open


def test_the_database_refuses_a_red_flag_without_a_tier(ready):
    from django.db import IntegrityError, transaction

    session = started(ready)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(safety_check=SafetyAnswer.YES)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(red_flag_tier=RedFlagTier.TODAY)


def test_start_page_reaches_the_check(ready, owner_client):
    routine = make_routine(ready)
    response = owner_client.post(reverse("journal:session_start", args=[routine.pk]), follow=True)
    assert "data-red-flag-check" in response.content.decode()
