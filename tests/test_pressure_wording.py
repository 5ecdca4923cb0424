"""Pressure is explained one way everywhere (clinical notes, "Measuring": 3 light, 5 moderate, 7 strong; start light;
moderate is usually enough; 7 is a ceiling, not a target), from one ceiling (journal.models.PRESSURE_CEILING) and
one wording (journal.models.PRESSURE_SCALE_HINT); someone on blood thinners or with a bleeding disorder is asked
for light pressure (clinical notes, "Precautions") wherever a pressure is logged or corrected."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import PrecautionProfile
from journal.history.forms import PRESSURE_HELP, ReleaseEditForm
from journal.models import LIGHT_PRESSURE_HINT, PRESSURE_CEILING, PRESSURE_SCALE_HINT
from journal.runner.forms import pressure_field
from routines.catalogue import WORDING
from tests.factories import make_release, make_running_session, make_session, session_url

ROOT = Path(__file__).resolve().parent.parent
# Wordings that read as if the ceiling were a target or a mere suggestion.
AT_ODDS = re.compile(r"at or under \d|is wise|up to 7|aim for 7", re.IGNORECASE)


def test_the_scale_wording_names_the_ceiling_as_a_ceiling():
    assert f"{PRESSURE_CEILING} strong" in PRESSURE_SCALE_HINT
    assert f"{PRESSURE_CEILING} is a ceiling, not a target" in PRESSURE_SCALE_HINT
    assert "3 light" in PRESSURE_SCALE_HINT and "moderate is usually enough" in PRESSURE_SCALE_HINT


def test_every_pressure_question_uses_the_one_wording():
    assert PRESSURE_HELP == PRESSURE_SCALE_HINT
    assert ReleaseEditForm().fields["pressure"].help_text == PRESSURE_SCALE_HINT
    assert pressure_field().hint == PRESSURE_SCALE_HINT  # the runner's and the quick log's question
    assert pressure_field().warn_above == PRESSURE_CEILING
    assert f"{PRESSURE_CEILING} is a ceiling, not a target" in WORDING.PRESSURE


def test_no_text_the_app_serves_treats_the_ceiling_as_a_target():
    """Templates and Python outside migrations and tests: nothing like "staying at or under 7 is wise"."""
    sources = [
        path
        for folder in ("templates", "journal", "accounts", "routines", "config")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".py", ".txt"} and "migrations" not in path.parts
    ]
    assert len(sources) > 50
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in sources for m in AT_ODDS.finditer(p.read_text())]
    assert found == []


@pytest.fixture
def release(owner):
    return make_release(make_session(owner), 1, pressure=4)


def test_the_correction_form_asks_for_light_pressure_when_the_answers_say_so(owner, owner_client, release):
    url = reverse("journal:release_edit", args=[release.session.pk, release.pk])
    general = owner_client.get(url).text
    assert PRESSURE_SCALE_HINT in general and LIGHT_PRESSURE_HINT not in general
    PrecautionProfile.objects.create(user=owner, blood_thinners=True)
    light = owner_client.get(url).text
    assert LIGHT_PRESSURE_HINT in light and PRESSURE_SCALE_HINT not in light
    assert "about 3 out of 10" in light
    PrecautionProfile.objects.filter(user=owner).update(blood_thinners=False, bleeding_disorder=True)
    assert LIGHT_PRESSURE_HINT in owner_client.get(url).text


def test_the_quick_log_asks_for_light_pressure_when_the_answers_say_so(ready, owner_client):
    url = reverse("journal:quick_log")
    general = owner_client.get(url).text
    assert PRESSURE_SCALE_HINT in general and LIGHT_PRESSURE_HINT not in general
    PrecautionProfile.objects.create(user=ready, bleeding_disorder=True)
    light = owner_client.get(url).text
    assert LIGHT_PRESSURE_HINT in light and PRESSURE_SCALE_HINT not in light


def test_the_quick_log_shows_the_precautions_as_the_runner_does(ready, owner_client):
    url = reverse("journal:quick_log")
    assert "data-precautions" not in owner_client.get(url).text
    PrecautionProfile.objects.create(user=ready, blood_thinners=True)
    page = owner_client.get(url).text
    assert "data-precautions" in page and "Because of your health answers" in page


def test_the_runner_asks_for_light_pressure_when_the_answers_say_so(ready, owner_client):
    """The step's log form and every later step's form the page carries for offline use (one hint each)."""
    session = make_running_session(ready, steps=3)
    url = session_url("session_run", session)
    general = owner_client.get(url).text
    assert general.count(PRESSURE_SCALE_HINT) == 3 and LIGHT_PRESSURE_HINT not in general
    PrecautionProfile.objects.create(user=ready, blood_thinners=True)
    light = owner_client.get(url).text
    assert light.count(LIGHT_PRESSURE_HINT) == 3 and PRESSURE_SCALE_HINT not in light


def test_the_runner_asks_for_light_pressure_again_on_a_form_sent_back(ready, owner_client):
    session = make_running_session(ready, steps=2)
    PrecautionProfile.objects.create(user=ready, bleeding_disorder=True)
    response = owner_client.post(session_url("release_log", session), {"position": 1, "tender": "yes"})
    assert response.status_code == 422
    assert response.text.count(LIGHT_PRESSURE_HINT) == 2 and PRESSURE_SCALE_HINT not in response.text


def test_the_summary_gives_the_light_pressure_advice_when_the_answers_say_so(owner, owner_client):
    """A quick log sent by the phone's outbox goes straight to its summary, so the advice the runner gives at once for
    a pressure above 3 under the light-pressure rule must be there too (it was only in the outbox's answer)."""
    from django.utils import timezone

    from journal.models import LIGHT_PRESSURE_MESSAGE, SessionStatus

    session = make_session(owner, status=SessionStatus.COMPLETED, finished_at=timezone.now())
    make_release(session, 1, pressure=5)
    url = reverse("journal:session_summary", args=[session.pk])
    assert "data-above-light" not in owner_client.get(url).text
    PrecautionProfile.objects.create(user=owner, blood_thinners=True)
    assert LIGHT_PRESSURE_MESSAGE in owner_client.get(url).text
    session.releases.update(pressure=3)
    assert "data-above-light" not in owner_client.get(url).text


def test_a_corrected_pressure_is_answered_under_the_light_pressure_rule(owner, owner_client, release):
    """A correction to a pressure above 3 said only "Release saved." for someone whose health answers call for light
    pressure; the runner answers the same pressure at once. Plain post (a message) and htmx (in the page)."""
    from journal.models import LIGHT_PRESSURE_MESSAGE

    PrecautionProfile.objects.create(user=owner, blood_thinners=True)
    url = reverse("journal:release_edit", args=[release.session.pk, release.pk])
    data = {
        "side": release.side,
        "held_seconds": release.held_seconds,
        "tender": "true",
        "pressure": 5,
        "pain_now": 4,
        "notes": "",
    }
    page = owner_client.post(url, data, follow=True).text
    assert LIGHT_PRESSURE_MESSAGE in page
    partial = owner_client.post(url, {**data, "pressure": 6}, headers={"HX-Request": "true"}).text
    assert "data-correction-notice" in partial and LIGHT_PRESSURE_MESSAGE in partial
    unchanged = owner_client.post(url, {**data, "pressure": 6, "notes": "ok"}, headers={"HX-Request": "true"}).text
    assert "data-correction-notice" not in unchanged  # only a changed pressure is answered again
