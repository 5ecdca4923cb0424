"""Free text refuses control characters (other than tab and line breaks): every form that takes text, and the JSON
import. An escape character in a note would reach the CSV raw (a terminal that shows it obeys it) and is invalid in
HTML and iCalendar text."""

import json

import pytest
from django.urls import reverse

from journal.models import Session
from routines.models import Routine
from tests.factories import form_key, make_release, make_session

CONTROL = "a\x01b\x07c\x1bd\x7fe"


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\x01", "\x07", "\x1b", "\x7f", "\x0b", "\u202e", "\u2066"])
def test_a_session_note_with_a_control_character_is_refused(owner, owner_client, character):
    session = make_session(owner, notes="Before.")
    url = reverse("journal:session_edit", args=[session.pk])
    started = session.started_at.astimezone(owner.profile.zone).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(url, {"started_at": started, "notes": f"x{character}y"})
    assert response.status_code == 422
    assert "control character" in response.text
    session.refresh_from_db()
    assert session.notes == "Before."


@pytest.mark.django_db
def test_tabs_and_line_breaks_are_kept(owner, owner_client):
    session = make_session(owner)
    url = reverse("journal:session_edit", args=[session.pk])
    started = session.started_at.astimezone(owner.profile.zone).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(url, {"started_at": started, "notes": "one\ttwo\r\nthree"})
    assert response.status_code in (200, 302)
    session.refresh_from_db()
    assert session.notes.replace("\r\n", "\n") == "one\ttwo\nthree"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("routines:routine_create", {"name": CONTROL, "description": ""}),
        ("journal:share_list", {"label": CONTROL, "expires_in_days": 7}),
        ("journal:report_details", {"report_name": CONTROL, "report_questions": ""}),
        # A right-to-left override would make the name on the clinician's report read backwards after it.
        ("journal:report_details", {"report_name": "Sam \u202eevil", "report_questions": ""}),
        ("journal:share_list", {"label": "Dr \u2067X\u2069", "expires_in_days": 7}),
    ],
)
def test_other_text_forms_refuse_control_characters(ready, owner_client, url_name, data):
    before = (Routine.objects.count(), ready.share_links.count(), ready.profile.report_name)
    response = owner_client.post(reverse(url_name), {**data, "key": form_key()})
    assert response.status_code == 422
    assert "control character" in response.text
    ready.profile.refresh_from_db()
    assert (Routine.objects.count(), ready.share_links.count(), ready.profile.report_name) == before


@pytest.mark.django_db
def test_the_import_refuses_a_control_character(owner, owner_client, other_user):
    make_release(make_session(owner), notes="fine")
    exported = json.loads(b"".join(owner_client.get(reverse("journal:export_json")).streaming_content))
    exported["sessions"][0]["notes"] = CONTROL
    other = owner_client.__class__()
    other.force_login(other_user)
    other_user.profile.acknowledge_safety()
    other_user.profile.save()
    upload = __import__("io").BytesIO(json.dumps(exported).encode())
    upload.name = "backup.json"
    response = other.post(reverse("journal:import_json"), {"file": upload})
    assert response.status_code == 422
    assert "control character" in response.text
    assert not Session.objects.filter(user=other_user).exists()


@pytest.mark.django_db
def test_a_control_character_saved_before_the_rule_never_reaches_the_csv(owner, owner_client):
    make_release(make_session(owner, notes=CONTROL), notes=f"={CONTROL}")  # as an older version could store them
    csv = b"".join(owner_client.get(reverse("journal:export_csv")).streaming_content).decode()
    assert not any(ch in csv for ch in "\x01\x07\x1b\x7f")
    assert "abcde" in csv and "'=abcde" in csv  # the text itself kept, a formula still neutralised
