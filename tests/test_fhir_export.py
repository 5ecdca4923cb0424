"""FHIR R4 export: validates with fhir.resources (R4B), carries the verified codes only, and checks ranges itself."""

import json
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from journal.exports.fhir import (
    LATERALITY,
    FhirDataError,
    body_site,
    build_bundle,
    check_score,
    code_system_url,
    laterality_extension_url,
)
from journal.lib.daterange import DateRange
from journal.models import Release, Session, SessionStatus
from routines.models import Point
from tests.factories import make_log, make_point, make_release, make_routine, make_session

URL = reverse("journal:export_fhir")


def read_bundle(response) -> dict:
    assert response.streaming  # entry by entry: a long log is never held whole in memory
    return json.loads(b"".join(response.streaming_content))


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.django_db
def test_bundle_validates_and_carries_the_codes(owner, owner_client):
    make_log(owner, days=3, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = read_bundle(response)
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
    data = read_bundle(owner_client.get(URL))
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
    data = read_bundle(owner_client.get(URL, {"start": "2026-03-02", "end": "2026-03-02"}))
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
    data = read_bundle(owner_client.get(URL))
    Bundle.model_validate(data)
    text = json.dumps(data)
    assert "<script>" not in text and "=1+1" not in text
    assert resources(data, "Procedure")[0]["bodySite"][0]["text"] == "Left <img src=x onerror=alert(1)>"


@pytest.mark.django_db
def test_a_release_never_starts_after_it_ends_whatever_the_stored_times(owner, owner_client):
    session = make_session(owner, started_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    ended = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # stored before the session's start (an old, unmoved edit)
    quick = make_release(session, 1, ended_at=ended, held_seconds=60, pain_now=3)
    Release.objects.filter(pk=quick.pk).update(started_at=None)  # a quick log records only the end
    make_release(session, 2, started_at=ended + timedelta(minutes=5), ended_at=ended, pain_now=None)
    bundle = read_bundle(owner_client.get(URL))
    periods = [p["performedPeriod"] for p in resources(bundle, "Procedure")]
    assert periods[0] == {"start": "2026-03-02T07:59:00+00:00", "end": "2026-03-02T08:00:00+00:00"}
    assert all(p["start"] <= p["end"] for p in periods)
    [pain] = [o for o in resources(bundle, "Observation") if o.get("partOf")]
    assert pain["effectiveDateTime"] >= periods[0]["start"]


@pytest.mark.django_db
def test_a_long_log_streams_with_memory_far_below_its_size(owner, owner_client):
    """2,000 releases: the Bundle streams with a tracemalloc peak a fraction of its own size (built whole in
    memory, a ten-year account's Bundle added about 300 MB to the worker)."""
    base = datetime(2020, 1, 1, 8, tzinfo=UTC)
    sessions = Session.objects.bulk_create(
        Session(
            user=owner,
            routine_name="Bulk",
            plan=[],
            started_at=base + timedelta(days=n),
            last_activity_at=base + timedelta(days=n),
            finished_at=base + timedelta(days=n, minutes=20),
            local_date=(base + timedelta(days=n)).date(),
            status=SessionStatus.COMPLETED,
            pain_before=5,
            pain_after=4,
        )
        for n in range(250)
    )
    point = Point.objects.builtin().get(slug="glute-top")
    Release.objects.bulk_create(
        Release(
            session=s,
            position=p,
            point=point,
            point_name=point.name,
            side="left",
            prescribed_seconds=45,
            held_seconds=45,
            started_at=s.started_at + timedelta(minutes=p),
            ended_at=s.started_at + timedelta(minutes=p, seconds=45),
            tender=True,
            pressure=5,
            pain_now=4,
        )
        for s in sessions
        for p in range(1, 9)
    )
    response = owner_client.get(URL)
    tracemalloc.start()
    size = sum(len(piece) for piece in response.streaming_content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert size > 3_000_000
    # Flat: a chunk of database rows and one piece of JSON at a time (built whole, the peak is several times the size).
    assert peak < min(5_000_000, size / 1.5), f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB Bundle"


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
