"""The quick log is guarded like the timer: the safety notice first, and the red-flag check with every log."""

import uuid

import pytest
from django.urls import reverse

from journal.models import Release, SafetyAnswer, Session, SessionStatus
from journal.redflags import RedFlag, RedFlagTier
from journal.runner.forms import red_flag_field_name
from routines.models import Point

pytestmark = pytest.mark.django_db

URL = reverse("journal:quick_log")


def data(**extra) -> dict:
    point = Point.objects.builtin().first()
    return {"key": str(uuid.uuid4()), "point": point.pk, "side": "right", "pain_now": "4", "pressure": "3", **extra}


def test_without_the_safety_notice_acknowledged_nothing_is_logged(owner, owner_client):
    page = owner_client.get(URL)
    assert page.status_code == 302 and page["Location"] == "/safety/?next=%2Fjournal%2Flog%2F"
    posted = owner_client.post(URL, data(none_apply="on"), headers={"Referer": URL})
    assert posted["Location"] == "/safety/?next=%2Fjournal%2Flog%2F"
    assert not Session.objects.exists() and not Release.objects.exists()


def test_the_form_asks_every_warning_sign(ready, owner_client):
    html = owner_client.get(URL).content.decode()
    assert "data-red-flag-check" in html
    assert f'name="{red_flag_field_name(RedFlag.BOTH_LEGS)}"' in html and 'name="none_apply"' in html


def test_without_an_answer_to_the_check_nothing_is_saved(ready, owner_client):
    response = owner_client.post(URL, data())
    assert response.status_code == 422
    assert "Answer each question below" in response.content.decode()
    assert not Session.objects.exists()


def test_none_of_these_logs_the_release_as_checked(ready, owner_client):
    owner_client.post(URL, data(none_apply="on"))
    session = Session.objects.get()
    assert session.status == SessionStatus.COMPLETED and session.safety_check == SafetyAnswer.NO


@pytest.mark.parametrize(
    ("item", "answer", "tier", "advice"),
    [
        (RedFlag.SADDLE, "unsure", RedFlagTier.EMERGENCY, "Please get help now"),
        (RedFlag.DIABETIC_FOOT, "yes", RedFlagTier.TODAY, "Please see a doctor today"),
    ],
)
def test_a_sign_reported_stops_the_session_keeps_the_release_and_advises(
    ready, owner_client, item, answer, tier, advice
):
    response = owner_client.post(URL, data(**{red_flag_field_name(item): answer}), follow=True)
    session = Session.objects.get()
    assert session.status == SessionStatus.STOPPED
    assert (session.safety_check, session.red_flag_items, session.red_flag_tier) == (SafetyAnswer.YES, [item], tier)
    assert session.releases.count() == 1  # done before the check, away from the app: kept, not lost
    html = response.content.decode()
    assert advice in html and item.label in html
    # ...and the next log asks the follow-up question first.
    again = owner_client.post(URL, data(none_apply="on"), headers={"Referer": URL})
    assert again["Location"].startswith(reverse("journal:red_flag_follow_up"))
    assert Session.objects.count() == 1
