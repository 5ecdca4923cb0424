"""The JSON backup of a whole account, written as a stream of compact JSON.

Nothing builds the whole document: sessions and their releases come from two ordered queries read side by side,
and the text goes out in chunks of about CHUNK_CHARS. Tokens are never exported (share links and reminders keep
their metadata only), and database ids never appear (see `schema` for the references used instead).
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import PrecautionProfile
from journal.backup.schema import FORMAT_NAME, FORMAT_VERSION, PrecautionData
from journal.lib.daterange import DateRange
from journal.models import Release, Reminder, Session, ShareLink
from routines.models import Point, Routine

CHUNK_CHARS = 64 * 1024
ITERATOR_CHUNK = 2_000


def _dt(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _plain(value: Any) -> Any:
    """A model value as JSON holds it: dates and times as ISO text (times in UTC), the rest unchanged."""
    if isinstance(value, datetime):
        return _dt(value)
    if isinstance(value, date):
        return _d(value)
    return value


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Refs:
    """The file's references for the user's points and routines and the built-in catalogue."""

    def __init__(self, points: list[Point], routines: list[Routine]) -> None:
        self.points = {p.pk: f"custom:{n}" for n, p in enumerate(points, start=1)}
        self.routines = {r.pk: f"routine:{n}" for n, r in enumerate(routines, start=1)}
        self.builtin_points = dict(Point.objects.builtin().values_list("pk", "slug"))
        self.builtin_routines = dict(Routine.objects.builtin().values_list("pk", "slug"))

    def point(self, pk: int | None) -> str | None:
        if pk in self.points:
            return self.points[pk]
        if pk in self.builtin_points:
            return f"builtin:{self.builtin_points[pk]}"
        return None

    def routine(self, pk: int | None) -> str | None:
        if pk in self.routines:
            return self.routines[pk]
        if pk in self.builtin_routines:
            return f"builtin:{self.builtin_routines[pk]}"
        return None


def _point(p: Point, refs: _Refs) -> dict[str, Any]:
    return {
        "ref": refs.points[p.pk],
        "name": p.name,
        "area": p.area.slug if p.area else None,
        "also_listed_in": sorted(a.slug for a in p.also_listed_in.all()),
        "location": p.location,
        "how_to_find": p.how_to_find,
        "technique": p.technique,
        "tool": p.tool,
        "default_hold_seconds": p.default_hold_seconds,
        "pressure_guidance": p.pressure_guidance,
        "referral_note": p.referral_note,
        "evidence_level": p.evidence_level,
        "evidence_note": p.evidence_note,
        "contraindications": p.contraindications,
        "map_view": p.map_view,
        "map_x": str(p.map_x),
        "map_y": str(p.map_y),
        "order": p.order,
        "created_at": _dt(p.created_at),
    }


def _routine(r: Routine, refs: _Refs) -> dict[str, Any]:
    return {
        "ref": refs.routines[r.pk],
        "name": r.name,
        "description": r.description,
        "archived": r.archived,
        "copied_from": refs.routine(r.copied_from_id),
        "created_at": _dt(r.created_at),
        "steps": [
            {"position": s.position, "point": refs.point(s.point_id), "side": s.side, "hold_seconds": s.hold_seconds}
            for s in sorted(r.steps.all(), key=lambda s: s.position)
        ],
    }


def _release(release: Release, refs: _Refs) -> dict[str, Any]:
    return {
        "position": release.position,
        "point": refs.point(release.point_id),
        "point_name": release.point_name,
        "side": release.side,
        "prescribed_seconds": release.prescribed_seconds,
        "held_seconds": release.held_seconds,
        "started_at": _dt(release.started_at),
        "ended_at": _dt(release.ended_at),
        "skipped": release.skipped,
        "tender": release.tender,
        "pressure": release.pressure,
        "pain_now": release.pain_now,
        "stopped_early": release.stopped_early,
        "notes": release.notes,
        "logged_at": _dt(release.logged_at),
    }


def _session(s: Session, releases: list[dict[str, Any]], refs: _Refs) -> dict[str, Any]:
    return {
        "routine": refs.routine(s.routine_id),
        "routine_name": s.routine_name,
        "plan": [
            {
                "point": refs.point(step.get("point_id")),
                "point_name": step.get("point_name", ""),
                "side": step.get("side", ""),
                "hold_seconds": step.get("hold_seconds"),
            }
            for step in s.plan
        ],
        "started_at": _dt(s.started_at),
        "local_date": _d(s.local_date),
        "finished_at": _dt(s.finished_at),
        "last_activity_at": _dt(s.last_activity_at),
        "status": s.status,
        "pain_before": s.pain_before,
        "pain_after": s.pain_after,
        "back_pain_before": s.back_pain_before,
        "back_pain_after": s.back_pain_after,
        "safety_check": s.safety_check,
        "red_flag_items": s.red_flag_items,
        "red_flag_tier": s.red_flag_tier,
        "red_flag_assessed_at": _dt(s.red_flag_assessed_at),
        "notes": s.notes,
        "releases": releases,
    }


def _sessions(user: User, date_range: DateRange, refs: _Refs) -> Iterator[dict[str, Any]]:
    """Each session of the range with its releases: two queries in the same order (the releases' selected through
    their session, so both hold the same sessions), read side by side."""
    sessions = Session.objects.for_user(user).between(date_range.start, date_range.end)
    releases = (
        Release.objects.filter(session__in=sessions.values("pk"))
        .order_by("session__started_at", "session_id", "position")
        .iterator(chunk_size=ITERATOR_CHUNK)
    )
    pending = next(releases, None)
    for session in sessions.order_by("started_at", "pk").iterator(chunk_size=ITERATOR_CHUNK):
        own = []
        while pending is not None and pending.session_id == session.pk:
            own.append(_release(pending, refs))
            pending = next(releases, None)
        yield _session(session, own, refs)


def _list(key: str, items: Iterator[dict[str, Any]] | list[dict[str, Any]], first: bool = False) -> Iterator[str]:
    yield f'{"" if first else ","}"{key}":['
    for n, item in enumerate(items):
        yield ("," if n else "") + _compact(item)
    yield "]"


def export_stream(user: User, date_range: DateRange | None = None) -> Iterator[bytes]:
    """The backup of `user` as UTF-8 chunks of compact JSON. `date_range` limits the sessions; the rest is always
    whole. The order of keys is the format's (the import reads the lists in any order)."""
    date_range = date_range or DateRange()
    profile = user.profile
    points = list(
        Point.objects.filter(owner=user)
        .select_related("area")
        .prefetch_related("also_listed_in")
        .order_by("created_at", "pk")
    )
    routines = list(Routine.objects.owned_by(user).prefetch_related("steps").order_by("created_at", "pk"))
    refs = _Refs(points, routines)
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _dt(timezone.now()),
        "range": {"start": _d(date_range.start), "end": _d(date_range.end)},
        "profile": {
            "time_zone": profile.time_zone,
            "default_hold_seconds": profile.default_hold_seconds,
            "sound_on": profile.sound_on,
            "lead_in_seconds": profile.lead_in_seconds,
            "safety_acknowledged_at": _dt(profile.safety_acknowledged_at),
            "care_region": profile.care_region,
            "auto_start_next": profile.auto_start_next,
            "spoken_cues": profile.spoken_cues,
            "report_name": profile.report_name,
            "report_questions": profile.report_questions,
        },
    }
    precautions = PrecautionProfile.objects.filter(user=user).first()
    if precautions is not None:
        head["precautions"] = {name: _plain(getattr(precautions, name)) for name in PrecautionData.model_fields}

    def parts() -> Iterator[str]:
        yield _compact(head)[:-1]
        yield from _list("points", [_point(p, refs) for p in points])
        yield from _list("routines", [_routine(r, refs) for r in routines])
        yield from _list("sessions", _sessions(user, date_range, refs))
        # Metadata only: the tokens are never stored, and their hashes are never exported.
        links = ShareLink.objects.for_user(user).order_by("created_at", "pk")
        yield from _list("share_links", (_share_link(link) for link in links))
        reminders = Reminder.objects.filter(user=user).order_by("created_at", "pk")
        yield from _list("reminders", (_reminder(reminder, refs) for reminder in reminders))
        yield "}"

    buffer: list[str] = []
    size = 0
    for part in parts():
        buffer.append(part)
        size += len(part)
        if size >= CHUNK_CHARS:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    yield "".join(buffer).encode()


def _share_link(link: ShareLink) -> dict[str, Any]:
    return {
        "label": link.label,
        "start_date": _d(link.start_date),
        "end_date": _d(link.end_date),
        "created_at": _dt(link.created_at),
        "expires_at": _dt(link.expires_at),
        "revoked_at": _dt(link.revoked_at),
        "last_opened_at": _dt(link.last_opened_at),
        "times_opened": link.times_opened,
    }


def _reminder(reminder: Reminder, refs: _Refs) -> dict[str, Any]:
    return {
        "routine": refs.routine(reminder.routine_id),
        "weekdays": list(reminder.weekdays),
        "time_of_day": reminder.time_of_day.isoformat(),
        "duration_minutes": reminder.duration_minutes,
        "created_at": _dt(reminder.created_at),
        "revoked_at": _dt(reminder.revoked_at),
    }


def export_account(user: User, date_range: DateRange | None = None) -> dict[str, Any]:
    """The backup of `user` as plain data (tests and tools; the download streams `export_stream`)."""
    backup: dict[str, Any] = json.loads(b"".join(export_stream(user, date_range)))
    return backup
