"""FHIR R4 export: a Bundle (type collection) of the user's pain scores as Observations, releases as Procedures and
each red-flag report as a Flag naming the warning signs reported.

Codes are the verified ones in shared/clinical-notes.md. fhir.resources checks structure but not value sets or
ranges, so this module checks scores (0-10) and body-site codes itself before building anything. A point whose
SNOMED code is not on the verified list is sent as text only, never with a guessed code.
"""

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import PainfulLeg, PrecautionProfile
from journal.lib.daterange import DateRange
from journal.models import (
    BACK_PAIN_AFTER,
    BACK_PAIN_BEFORE,
    LEG_PAIN_AFTER,
    LEG_PAIN_AFTER_HOLD,
    LEG_PAIN_BEFORE,
    Release,
    Session,
    SessionStatus,
)
from journal.redflags import RedFlagTier

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_SCORE_CODE = "72514-3"
PAIN_SCORE_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
VERIFIED_BODY_SITES = {
    "76853006": "Heel structure",
    "46862004": "Buttock structure",
    "78333006": "Gluteus medius muscle",
    "75297007": "Gluteus minimus muscle",
}
LATERALITY = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}
LATERALITY_ATTRIBUTE = "272741003"


class FhirDataError(ValueError):
    """A value that must not be sent (out of range, or a code that is not on the verified list)."""


def namespace() -> str:
    return settings.TENDERSPOT_FHIR_NAMESPACE.rstrip("/")


def code_system_url() -> str:
    """The app's own code system for what standard codes do not cover (the release itself, pressure, tenderness)."""
    return f"{namespace()}/CodeSystem/release"


def laterality_extension_url() -> str:
    return f"{namespace()}/StructureDefinition/body-site-laterality"


def check_score(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise FhirDataError(f"{what} must be a whole number from 0 to 10, not {value!r}")
    return value


def body_site(point_name: str, side: str, snomed_code: str = "", snomed_display: str = "") -> dict[str, Any]:
    """bodySite: the verified SNOMED code when there is one (else text only) with laterality as an extension."""
    if side not in LATERALITY:
        raise FhirDataError(f"side must be left or right, not {side!r}")
    lat_code, lat_display = LATERALITY[side]
    concept: dict[str, Any] = {
        "extension": [
            {
                "url": laterality_extension_url(),
                "valueCodeableConcept": {
                    "coding": [{"system": SNOMED, "code": lat_code, "display": lat_display}],
                    "text": lat_display,
                },
            }
        ],
        "text": f"{lat_display} {point_name}",
    }
    if snomed_code:
        if snomed_code not in VERIFIED_BODY_SITES:
            # Unverified codes are never sent; the text stands alone.
            return concept
        concept["coding"] = [
            {"system": SNOMED, "code": snomed_code, "display": snomed_display or VERIFIED_BODY_SITES[snomed_code]}
        ]
    return concept


def leg_site(painful_leg: str) -> dict[str, Any] | None:
    """bodySite of a leg pain score: the painful leg and its side (text, with the verified laterality code), from
    the user's precaution profile; None when the user did not say. Never the pressed point: leg pain is the
    sciatica, not local pain at the muscle under the ball. No SNOMED code for the leg is on the verified list, so
    the leg itself is sent as text only."""
    if painful_leg == PainfulLeg.BOTH:
        return {"text": "Both legs"}
    if painful_leg not in LATERALITY:
        return None
    lat_code, lat_display = LATERALITY[painful_leg]
    return {
        "extension": [
            {
                "url": laterality_extension_url(),
                "valueCodeableConcept": {
                    "coding": [{"system": SNOMED, "code": lat_code, "display": lat_display}],
                    "text": lat_display,
                },
            }
        ],
        "text": f"{lat_display} leg",
    }


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _urn(*parts: Any) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, namespace() + "/" + "/".join(map(str, parts))))


def _pain_observation(
    patient: str,
    score: int,
    when: datetime,
    label: str,
    site: dict[str, Any] | None = None,
    part_of: str | None = None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]},
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_SCORE_CODE, "display": PAIN_SCORE_DISPLAY}],
            "text": label,
        },
        "subject": {"reference": patient},
        "effectiveDateTime": _when(when),
        "valueInteger": score,
    }
    if site:
        resource["bodySite"] = site
    if part_of:
        resource["partOf"] = [{"reference": part_of}]
    return resource


def _red_flag(patient: str, session: Session) -> dict[str, Any]:
    """A Flag for one red-flag report: the signs reported as text (there is no verified code for each), active
    until the person said a clinician had assessed them, with the date they said so as the end of its period."""
    tier = RedFlagTier(session.red_flag_tier).label if session.red_flag_tier else "Red flag"
    period: dict[str, str] = {"start": _when(session.started_at)}
    if session.red_flag_assessed_at is not None:
        period["end"] = _when(session.red_flag_assessed_at)
    return {
        "resourceType": "Flag",
        "status": "inactive" if session.red_flag_assessed_at else "active",
        "code": {
            "coding": [{"system": code_system_url(), "code": "red-flag-reported", "display": "Red flag reported"}],
            "text": f"Red flag reported ({tier}): {session.red_flag_text}. The session was stopped.",
        },
        "subject": {"reference": patient},
        "period": period,
    }


# Rows read from the database at a time: the export's memory is about one chunk of model instances, whatever the
# log's length.
CHUNK_SIZE = 1000
ENTRIES_PER_PIECE = 200


def _bundle_header() -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "timestamp": _when(timezone.now())}


def build_bundle(user: User, date_range: DateRange) -> dict[str, Any]:
    """The whole Bundle as one dict (for tests and small ranges; the download streams `bundle_pieces`)."""
    return {**_bundle_header(), "entry": list(bundle_entries(user, date_range))}


def bundle_pieces(user: User, date_range: DateRange) -> Iterator[str]:
    """The Bundle as JSON text in pieces of a few hundred entries, built one entry at a time from chunked cursors,
    so a worker's memory stays flat however long the log is. Joined, the pieces are `build_bundle` as JSON."""
    header = json.dumps(_bundle_header(), ensure_ascii=False)
    yield header[:-1] + ', "entry": ['
    pending: list[str] = []
    first = True
    for entry in bundle_entries(user, date_range):
        pending.append(json.dumps(entry, ensure_ascii=False))
        if len(pending) == ENTRIES_PER_PIECE:
            yield ("" if first else ", ") + ", ".join(pending)
            pending, first = [], False
    if pending:
        yield ("" if first else ", ") + ", ".join(pending)
    yield "]}"


def bundle_entries(user: User, date_range: DateRange) -> Iterator[dict[str, Any]]:
    """The Bundle's entries in order: the Patient, each session's pain scores, then each release as a Procedure
    with its pain score. Raises FhirDataError on a value that must not be sent."""
    patient = _urn("patient", user.pk)
    # No name or contact details: the practitioner knows who handed them the file.
    yield {"fullUrl": patient, "resource": {"resourceType": "Patient", "active": True}}
    leg = leg_site(PrecautionProfile.for_user(user).painful_leg)
    sessions = Session.objects.for_user(user).between(date_range.start, date_range.end).order_by("started_at", "pk")
    fields = ("pk", "started_at", "finished_at", "pain_before", "pain_after", "back_pain_before", "back_pain_after")
    red_flag_fields = ("red_flag_items", "red_flag_tier", "red_flag_assessed_at", "safety_check")
    for s in sessions.only(*fields, *red_flag_fields, "routine_name").iterator(chunk_size=CHUNK_SIZE):
        if s.red_flag:
            yield {"fullUrl": _urn("session", s.pk, "red-flag"), "resource": _red_flag(patient, s)}
        end = s.finished_at or s.started_at
        scores: list[tuple[Any, ...]] = [
            # (urn part, score, when, label, body site)
            ("pain-before", check_score(s.pain_before, "leg pain before"), s.started_at, LEG_PAIN_BEFORE, leg),
            ("pain-after", check_score(s.pain_after, "leg pain after"), end, LEG_PAIN_AFTER, leg),
            ("back-pain-before", check_score(s.back_pain_before, "back pain before"), s.started_at, BACK_PAIN_BEFORE),
            ("back-pain-after", check_score(s.back_pain_after, "back pain after"), end, BACK_PAIN_AFTER),
        ]
        for part, score, when, label, *sites in scores:
            if score is not None:
                yield {
                    "fullUrl": _urn("session", s.pk, part),
                    "resource": _pain_observation(patient, score, when, label, *sites),
                }
    releases = (
        Release.objects.for_user(user)
        .between(date_range.start, date_range.end)
        .select_related("point", "session")
        .only(
            "pk",
            "position",
            "point_name",
            "side",
            "held_seconds",
            "prescribed_seconds",
            "started_at",
            "ended_at",
            "skipped",
            "tender",
            "pressure",
            "pain_now",
            "stopped_early",
            "point__snomed_code",
            "point__snomed_display",
            "session__started_at",
            "session__status",
        )
        .order_by("session__started_at", "session_id", "position")
    )
    for r in releases.iterator(chunk_size=CHUNK_SIZE):
        pressure = check_score(r.pressure, "pressure")
        pain_now = check_score(r.pain_now, "leg pain after the hold")
        site = body_site(
            r.point_name,
            r.side,
            r.point.snomed_code if r.point else "",
            r.point.snomed_display if r.point else "",
        )
        procedure_url = _urn("release", r.pk)
        start = release_start(r)
        if r.held_seconds is None:
            notes = [f"Not timed: logged without the timer and no seconds given ({r.prescribed_seconds} s prescribed)."]
        else:
            notes = [f"Held {r.held_seconds} s of {r.prescribed_seconds} s prescribed."]
        if r.tender is not None:
            notes.append("Tender spot found." if r.tender else "No tender spot found.")
        if pressure is not None:
            notes.append(f"Pressure discomfort {pressure}/10 (0 none, 3 light, 5 moderate, 7 strong).")
        if r.stopped_early:
            notes.append("Stopped early because it hurt.")
        procedure: dict[str, Any] = {
            "resourceType": "Procedure",
            "status": "not-done" if r.skipped else "completed",
            "code": {
                "coding": [
                    {"system": code_system_url(), "code": "self-release", "display": "Self trigger-point release"}
                ],
                "text": "Self-guided trigger-point release with a ball",
            },
            "subject": {"reference": patient},
            "performedPeriod": {"start": _when(start), **({"end": _when(r.ended_at)} if r.ended_at else {})},
            "bodySite": [site],
            "note": [{"text": text} for text in notes],
        }
        if r.session.status == SessionStatus.STOPPED:
            procedure["note"].append({"text": "The session was stopped because a red flag was reported."})
        yield {"fullUrl": procedure_url, "resource": procedure}
        if pain_now is not None:
            yield {
                "fullUrl": _urn("release", r.pk, "pain-now"),
                "resource": _pain_observation(
                    patient, pain_now, r.ended_at or start, LEG_PAIN_AFTER_HOLD, leg, procedure_url
                ),
            }


def release_start(release: Release) -> datetime:
    """When the release began: its own start, else (a quick log records only the end) its end less the hold, else
    (not timed, or no end) its session's start. Never after its end, so performedPeriod holds FHIR's per-1
    (start <= end)."""
    if release.started_at:
        start = release.started_at
    elif release.ended_at and release.held_seconds is not None:
        start = release.ended_at - timedelta(seconds=release.held_seconds)
    else:
        start = release.session.started_at
    return min(start, release.ended_at) if release.ended_at else start
