"""FHIR R4 export: validates with fhir.resources (R4B), carries the verified codes only, and checks ranges itself."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from journal.exporters.daterange import DateRange
from journal.exporters.fhir import (
    LATERALITY,
    FhirDataError,
    body_site,
    build_bundle,
    check_score,
    code_system_url,
    laterality_extension_url,
)
from routines.models import Point
from tests.factories import make_log, make_point, make_release, make_routine, make_session

URL = reverse("journal:export_fhir")


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.django_db
def test_bundle_validates_and_carries_the_codes(owner, owner_client):
    make_log(owner, days=3, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    Bundle.model_validate(data)  # structure, types and cardinality per R4B
    assert data["type"] == "collection"

    observations = resources(data, "Observation")
    assert len(observations) == 3 * 2 + 3 * 4  # leg pain before/at the end per session, after each hold
    for obs in observations:
        assert obs["code"]["coding"][0] == {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
        assert obs["category"][0]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/observation-category"
        assert obs["category"][0]["coding"][0]["code"] == "survey"
        assert 0 <= obs["valueInteger"] <= 10
        assert datetime.fromisoformat(obs["effectiveDateTime"]).tzinfo is not None

    procedures = resources(data, "Procedure")
    assert len(procedures) == 12
    first = procedures[0]
    assert first["status"] == "completed"
    assert first["code"]["coding"][0]["system"] == code_system_url()
    assert first["performedPeriod"]["start"] < first["performedPeriod"]["end"]
    site = first["bodySite"][0]
    # Glute top is gluteus medius (verified code); left laterality as an extension.
    assert site["coding"][0]["code"] == "78333006"
    assert site["extension"][0]["url"] == laterality_extension_url()
    assert site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "7771000"
    assert any("Pressure discomfort 5/10" in note["text"] for note in first["note"])
    assert any(note["text"] == "Tender spot found." for note in first["note"])
    assert {p["bodySite"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] for p in procedures} == {
        "7771000",
        "24028007",
    }


@pytest.mark.django_db
def test_unverified_codes_are_sent_as_text_only(owner, owner_client):
    bogus = make_point(owner=owner, name="My spot", snomed_code="123456", snomed_display="Guess")
    unverified = Point.objects.get(slug="plantar-fascia-bottom-of-foot")
    session = make_session(owner, routine=make_routine(owner=owner, steps=0), pain_before=4)
    make_release(session, 1, point_id=bogus.pk, point_name=bogus.name, side="right")
    make_release(session, 2, point_id=unverified.pk, point_name=unverified.name, side="left")
    data = json.loads(owner_client.get(URL).content)
    Bundle.model_validate(data)
    sites = [p["bodySite"][0] for p in resources(data, "Procedure")]
    assert all("coding" not in site for site in sites)
    assert sites[0]["text"] == "Right My spot"
    assert "123456" not in json.dumps(data)


def test_app_checks_ranges_and_codes():
    assert check_score(0, "x") == 0 and check_score(10, "x") == 10 and check_score(None, "x") is None
    for bad in (-1, 11, 3.5, True, "5"):
        with pytest.raises(FhirDataError):
            check_score(bad, "pain")
    with pytest.raises(FhirDataError):
        body_site("Heel", "middle")
    assert body_site("Heel", "left", "76853006")["coding"][0]["display"] == "Heel structure"
    assert "coding" not in body_site("Heel", "left", "99999999")
    assert LATERALITY == {"left": ("7771000", "Left"), "right": ("24028007", "Right")}


@pytest.mark.django_db
def test_range_and_ownership(owner, other_user, owner_client):
    make_log(owner, days=4, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    make_log(other_user, days=2, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    data = json.loads(owner_client.get(URL, {"start": "2026-03-02", "end": "2026-03-02"}).content)
    assert len(resources(data, "Procedure")) == 4
    dates = {o["effectiveDateTime"][:10] for o in resources(data, "Observation")}
    assert dates == {"2026-03-02"}
    assert owner_client.get(URL, {"end": "2026-02-30"}).status_code == 400
    whole = build_bundle(owner, DateRange())
    assert len(resources(whole, "Procedure")) == 16  # the other user's 8 releases are not here


@pytest.mark.django_db
def test_notes_never_reach_fhir_and_names_stay_text(owner, owner_client):
    session = make_session(owner, notes="<script>alert(1)</script>", pain_before=3)
    make_release(session, 1, point_name="<img src=x onerror=alert(1)>", notes="=1+1")
    data = json.loads(owner_client.get(URL).content)
    Bundle.model_validate(data)
    text = json.dumps(data)
    assert "<script>" not in text and "=1+1" not in text
    assert resources(data, "Procedure")[0]["bodySite"][0]["text"] == "Left <img src=x onerror=alert(1)>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("painful_leg", "site"),
    [
        ("", None),
        ("both", {"text": "Both legs"}),
        ("left", "7771000"),
        ("right", "24028007"),
    ],
)
def test_leg_pain_is_labelled_and_sited_on_the_leg_never_the_point(owner, painful_leg, site):
    from accounts.models import PrecautionProfile
    from journal.models import LEG_PAIN_AFTER, LEG_PAIN_AFTER_HOLD, LEG_PAIN_BEFORE

    if painful_leg:
        PrecautionProfile.objects.create(user=owner, painful_leg=painful_leg)
    make_log(owner, days=1, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    session = owner.sessions.get()
    session.back_pain_before = 2
    session.save(update_fields=["back_pain_before"])
    data = build_bundle(owner, DateRange(None, None))
    Bundle.model_validate(data)
    observations = resources(data, "Observation")
    labels = [obs["code"]["text"] for obs in observations]
    assert labels.count(LEG_PAIN_BEFORE) == 1 and labels.count(LEG_PAIN_AFTER) == 1
    assert labels.count(LEG_PAIN_AFTER_HOLD) == 4 and "Back pain before the session" in labels
    for obs in observations:
        assert "Pain during" not in obs["code"]["text"]
        body = obs.get("bodySite")
        text = json.dumps(body or {})
        # Never the pressed point: no point code, no point name.
        assert "78333006" not in text and "75297007" not in text and "glute" not in text.lower()
        if obs["code"]["text"].startswith("Back pain") or site is None:
            assert body is None
        elif isinstance(site, dict):
            assert body == site
        else:
            assert body["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == site
            assert body["text"].endswith(" leg")
