"""The FHIR export as HL7's FHIRPath engine (fhirpath.js with its R4 model) judges it: every core invariant of the
Bundle, its Observations, Procedures and Patient, and every element rule (ele-1, ext-1, per-1, ...) holds, including
after a quick-logged release's session is moved later, and no pain score is dated before its release."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from journal.models import Session
from routines.models import Point
from tests.audit.tools import skip_unless_available
from tests.clients.judges import node
from tests.factories import make_log, make_point, make_release, make_session

EIGHT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def judge(bundle_bytes: bytes, tmp_path) -> dict:
    path = tmp_path / "bundle.json"
    path.write_bytes(bundle_bytes)
    return node("fhir_invariants.mjs", str(path))


def quick_log_then_move(client, owner, minutes: int) -> Session:
    """Quick-logs a release at 08:00 UTC, then edits its session to start `minutes` later (the user is on UTC)."""
    point = Point.objects.builtin().get(slug="glute-top")
    owner.profile.acknowledge_safety()
    form = {
        "key": str(uuid.uuid4()),
        "point": point.pk,
        "side": "left",
        "pressure": "5",
        "pain_now": "3",
        "none_apply": "on",  # the red-flag check: none of the signs
    }
    with mock.patch("django.utils.timezone.now", return_value=EIGHT):
        assert client.post(reverse("journal:quick_log"), form).status_code == 302
    session = Session.objects.get(user=owner, idempotency_key=form["key"])
    moved = EIGHT + timedelta(minutes=minutes)
    edit = {
        "started_at": moved.strftime("%Y-%m-%dT%H:%M"),
        "finished_at": (moved + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "pain_before": "6",
        "pain_after": "4",
        "notes": "",
    }
    assert client.post(reverse("journal:session_edit", args=[session.pk]), edit).status_code == 302
    return session


@pytest.mark.django_db
def test_every_invariant_holds_on_a_full_export_with_an_edited_quick_log(owner, owner_client, tmp_path):
    skip_unless_available("node", "fhirpath")
    make_log(owner, days=3, start=datetime(2026, 3, 1, 7, 0, tzinfo=UTC))
    custom = make_point(owner=owner, name="My calf spot", snomed_code="123456", snomed_display="Guess")
    verified = make_point(owner=owner, name="Heel inside", snomed_code="76853006")
    stopped = make_session(owner, started_at=datetime(2026, 3, 4, 7, 0, tzinfo=UTC), status="stopped")
    make_release(stopped, 1, point=custom, point_name=custom.name, skipped=True, held_seconds=0, pain_now=None)
    make_release(stopped, 2, point=verified, point_name=verified.name, stopped_early=True, tender=None)
    moved = quick_log_then_move(owner_client, owner, minutes=90)

    response = owner_client.get(reverse("journal:export_fhir"))
    body = b"".join(response.streaming_content)
    result = judge(body, tmp_path)

    assert result["violations"] == []
    # The rules were really applied: to every resource and to the elements where they bite.
    for key in ("bdl-7", "bdl-3", "bdl-5", "dom-2", "obs-6", "obs-7", "ele-1", "ext-1", "per-1", "ref-1"):
        assert result["checked"].get(key), key
    bundle = json.loads(body)
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    for resource in by_url.values():
        for part_of in resource.get("partOf", []):
            period = by_url[part_of["reference"]]["performedPeriod"]
            assert resource["effectiveDateTime"] >= period["start"]  # a pain score never precedes its release
    # The moved quick log: its release moved with it.
    release = moved.releases.get()
    assert release.ended_at == EIGHT + timedelta(minutes=90)


@pytest.mark.django_db
def test_the_judge_catches_a_procedure_that_ends_before_it_starts(tmp_path):
    skip_unless_available("node", "fhirpath")
    bad = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:6a2f41a3-c54c-4c11-a1d4-0b9a6b1e2c11",
                "resource": {
                    "resourceType": "Procedure",
                    "status": "completed",
                    "subject": {"reference": "urn:uuid:6a2f41a3-c54c-4c11-a1d4-0b9a6b1e2c12"},
                    "performedPeriod": {"start": "2026-03-02T09:30:00+00:00", "end": "2026-03-02T08:00:00+00:00"},
                    "bodySite": [{"extension": [{"url": "http://example.org/x"}], "text": ""}],
                },
            },
            {"fullUrl": "urn:uuid:6a2f41a3-c54c-4c11-a1d4-0b9a6b1e2c11", "resource": {"resourceType": "Patient"}},
        ],
    }
    result = judge(json.dumps(bad).encode(), tmp_path)
    assert {v["key"] for v in result["violations"]} >= {"per-1", "ext-1", "bdl-7", "ele-1"}
