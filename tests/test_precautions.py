"""The precaution profile: optional and private answers, asked after sign-up and every 6 months, each changing what
the app shows (foot points, light pressure, new pain, surgery or pregnancy), and the leg pain context for a report."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import models as precaution_text
from accounts.models import PrecautionProfile
from journal.models import Session
from routines.models import Routine
from tests.factories import ensure_catalogue, make_running_session, session_url

pytestmark = pytest.mark.django_db

URL = "/accounts/precautions/"


def answer(user, **fields) -> PrecautionProfile:
    profile = PrecautionProfile.for_user(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def builtin_routine(slug: str) -> Routine:
    ensure_catalogue()
    return Routine.objects.builtin().get(slug=slug)


# The form --------------------------------------------------------------------------------------------------------


def test_anonymous_goes_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_wrong_method_is_405(owner_client):
    assert owner_client.put(URL).status_code == 405


def test_signup_leads_to_the_skippable_questions(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newperson",
            "password1": "a-long-enough-pass-phrase",
            "password2": "a-long-enough-pass-phrase",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:precautions") + "?next=/"
    page = client.get(URL).content.decode()
    assert "Skip for now" in page and "optional" in page and "private" in page


def test_every_answer_is_optional_and_saving_marks_it_reviewed(owner_client, owner):
    response = owner_client.post(URL, {})
    assert response.status_code == 302
    profile = PrecautionProfile.objects.get(user=owner)
    assert profile.reviewed_at is not None and not profile.foot_caution and profile.notes() == []


def test_answers_are_saved_and_editable(owner_client, owner):
    owner_client.post(URL, {"diabetes": "on", "painful_leg": "left", "episode_started": "2026-01-05"})
    profile = PrecautionProfile.objects.get(user=owner)
    assert profile.diabetes and profile.painful_leg == "left" and profile.episode_started == date(2026, 1, 5)
    owner_client.post(URL, {"painful_leg": "both"})
    profile.refresh_from_db()
    assert not profile.diabetes and profile.painful_leg == "both"
    assert PrecautionProfile.objects.filter(user=owner).count() == 1


def test_both_legs_is_answered_with_the_emergency_sign_it_can_be(owner_client, owner):
    """ "Both legs" is a plain fact here, but pain newly down both legs is an emergency sign of the red-flag check."""
    page = owner_client.get(URL).text
    assert "newly spread to both legs" in page  # said before the answer is given
    response = owner_client.post(URL, {"painful_leg": "both"}, follow=True)
    assert "both legs is a warning sign" in response.text and "get emergency care now" in response.text
    one_leg = owner_client.post(URL, {"painful_leg": "left"}, follow=True)
    assert "warning sign" not in one_leg.text


def test_skip_saves_no_answer_and_comes_back_in_six_months(owner_client, owner):
    response = owner_client.post(URL, {"skip": "1", "diabetes": "on", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    profile = PrecautionProfile.objects.get(user=owner)
    assert not profile.diabetes and not profile.review_due()
    assert profile.review_due(timezone.now() + timedelta(days=181)) is False
    assert profile.review_due(timezone.now() + timedelta(days=183)) is True


@pytest.mark.parametrize(
    "bad", [{"episode_started": "not a date"}, {"painful_leg": "middle"}, {"clinician_assessed": "maybe"}]
)
def test_bad_input_is_refused_and_nothing_saved(owner_client, owner, bad):
    response = owner_client.post(URL, {"diabetes": "on", **bad})
    assert response.status_code == 422 and "Nothing was saved" in response.content.decode()
    assert not PrecautionProfile.objects.filter(user=owner).exists()


def test_an_episode_cannot_start_in_the_future(owner_client, owner):
    tomorrow = owner.profile.local_date() + timedelta(days=1)
    response = owner_client.post(URL, {"episode_started": tomorrow.isoformat()})
    assert response.status_code == 422 and "cannot be in the future" in response.content.decode()


def test_htmx_gets_the_form_partial_only(owner_client, htmx_headers):
    response = owner_client.post(URL, {"episode_started": "nope"}, headers=htmx_headers)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="precautions-form"' in body and "<html" not in body


def test_the_answers_are_the_users_own(owner_client, owner, other_user):
    answer(other_user, diabetes=True, painful_leg="right")
    page = owner_client.get(URL).content.decode()
    assert 'value="right" checked' not in page
    assert PrecautionProfile.for_user(owner).pk is None


def test_a_next_address_elsewhere_is_ignored(owner_client):
    response = owner_client.post(URL, {"skip": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_dashboard_prompts_calmly_when_due(owner_client, owner):
    assert "A few optional health questions" in owner_client.get("/").content.decode()
    profile = answer(owner, reviewed_at=timezone.now())
    assert "data-precautions-prompt" not in owner_client.get("/").content.decode()
    profile.reviewed_at = timezone.now() - timedelta(days=183)
    profile.save()
    assert "Has anything changed in your health?" in owner_client.get("/").content.decode()


# What each answer changes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["diabetes", "reduced_foot_feeling", "foot_ulcer"])
def test_foot_answers_mark_the_foot_points_only(owner_client, owner, field):
    answer(owner, **{field: True})
    foot = owner_client.get("/routines/points/heel-inside-edge/").content.decode()
    assert precaution_text.FOOT_TEAM in foot and "discomfort scale cannot tell you how hard" in foot
    glute = owner_client.get("/routines/points/glute-top/").content.decode()
    assert precaution_text.FOOT_TEAM not in glute


def test_no_answers_no_precaution_box(owner_client):
    assert "data-precautions" not in owner_client.get("/routines/points/heel-inside-edge/").content.decode()


def test_a_routine_with_foot_points_asks_once_to_confirm(ready, owner_client):
    answer(ready, diabetes=True)
    routine = builtin_routine("feet-only")
    start = reverse("journal:session_start", args=[routine.pk])
    detail = owner_client.get(f"/routines/{routine.pk}/").content.decode()
    assert "data-confirm-feet" in detail and "My foot team or podiatrist agrees" in detail
    refused = owner_client.post(start)
    assert refused.status_code == 302 and refused["Location"] == f"/routines/{routine.pk}/"
    assert not Session.objects.filter(user=ready).exists()
    started = owner_client.post(start, {"feet_confirmed": "yes"})
    assert started.status_code == 302 and Session.objects.filter(user=ready).count() == 1
    assert PrecautionProfile.objects.get(user=ready).feet_confirmed_at is not None
    # Asked once: the next start needs no confirmation.
    assert "data-confirm-feet" not in owner_client.get(f"/routines/{routine.pk}/").content.decode()


def test_a_glute_routine_never_asks_about_feet(ready, owner_client):
    answer(ready, diabetes=True)
    routine = builtin_routine("glutes-only")
    assert owner_client.post(reverse("journal:session_start", args=[routine.pk])).status_code == 302
    assert Session.objects.filter(user=ready).count() == 1


@pytest.mark.parametrize("field", ["blood_thinners", "bleeding_disorder"])
def test_blood_thinners_put_a_light_pressure_rule_on_every_step(ready, owner_client, field):
    answer(ready, **{field: True})
    session = make_running_session(ready, steps=2)
    html = owner_client.get(session_url("session_run", session)).content.decode()
    assert "Light pressure only" in html and "bruising or swelling" in html
    assert "Moderate pressure, about 5" not in html  # the general advice would contradict the rule


def test_without_the_light_pressure_rule_the_step_gives_the_general_advice(ready, owner_client):
    session = make_running_session(ready, steps=2)
    html = owner_client.get(session_url("session_run", session)).content.decode()
    assert "Moderate pressure, about 5" in html and "Light pressure only" not in html


@pytest.mark.parametrize("field", ["past_cancer", "osteoporosis", "long_term_steroids"])
def test_bone_answers_ask_for_new_pain_to_be_checked_before_starting(ready, owner_client, field):
    answer(ready, **{field: True})
    routine = builtin_routine("glutes-only")
    assert precaution_text.NEW_PAIN_CHECK in owner_client.get(f"/routines/{routine.pk}/").content.decode()


@pytest.mark.parametrize("field", ["recent_surgery", "pregnant"])
def test_surgery_or_pregnancy_ask_the_clinician_and_give_the_wall_position_for_glutes(ready, owner_client, field):
    answer(ready, **{field: True})
    glutes = owner_client.get(f"/routines/{builtin_routine('glutes-only').pk}/").content.decode()
    assert precaution_text.ASK_CLINICIAN in glutes and "wall position" in glutes
    feet = owner_client.get(f"/routines/{builtin_routine('feet-only').pk}/").content.decode()
    assert precaution_text.ASK_CLINICIAN in feet and "wall position" not in feet


def test_report_context_is_the_leg_pain_context_only(owner):
    profile = answer(
        owner, painful_leg="both", episode_started=date(2026, 1, 1), clinician_assessed="no", past_cancer=True
    )
    rows = dict(profile.report_context(today=date(2026, 2, 12)))
    assert rows == {
        "Painful leg": "Both legs",
        "Episode started": "2026-01-01 (about 6 weeks ago)",
        "Episode assessed by a clinician": "No",
    }
    assert PrecautionProfile.for_user(owner).report_context() == profile.report_context()
    assert PrecautionProfile(user=owner).report_context() == []
    # One week is "1 week", never "1 weeks".
    assert dict(profile.report_context(today=date(2026, 1, 9)))["Episode started"] == "2026-01-01 (about 1 week ago)"


def test_the_report_shows_the_leg_pain_context_and_nothing_private(owner):
    from journal.exports.report import report_context
    from journal.lib.daterange import DateRange

    answer(owner, painful_leg="left", clinician_assessed="yes", diabetes=True, past_cancer=True)
    context = report_context(owner, DateRange(None, None))
    assert dict(context["leg_context"]) == {"Painful leg": "Left leg", "Episode assessed by a clinician": "Yes"}
    from django.template.loader import render_to_string

    html = render_to_string("journal/report_body.html", context)
    assert "Painful leg:</strong> Left leg" in html
    assert "diabetes" not in html.lower() and "cancer" not in html.lower()


def test_the_trends_show_the_episode_context(owner, owner_client):
    answer(owner, painful_leg="right", episode_started=owner.profile.local_date() - timedelta(days=21))
    from tests.factories import on_day

    on_day(owner, 1, pain_before=5)
    html = owner_client.get(reverse("journal:trends")).content.decode()
    assert "This episode: Painful leg: Right leg; Episode started: " in html and "about 3 weeks ago" in html


@pytest.mark.django_db
def test_saving_the_answers_after_sign_up_goes_on_home(owner_client):
    response = owner_client.post(URL + "?next=/", {"diabetes": "on", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
