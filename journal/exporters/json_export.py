"""The JSON export of a whole account, and its import.

Format "tenderspot-journal", version 1. Database ids never appear: objects refer to one another by references
made in the file ("builtin:<slug>" for the shared catalogue, "custom:<n>" / "routine:<n>" for the user's own).

Natural keys make the import idempotent without adding columns to other apps' models: a custom point or routine
is the same object when its name and creation time match, a session when its start time and routine name match,
a share link when its label and creation time match, a reminder when its time, days and creation time match.
Creation times are kept on import, so the keys survive a round trip. Tokens are never exported: imported share
links and reminders get fresh secret hashes nobody holds, so they cannot be opened until renewed.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import validate_time_zone
from journal.exporters.daterange import DateRange
from journal.exporters.tokens import new_token
from journal.models import (
    NOTES_MAX_LENGTH,
    RELEASE_MAX_SECONDS,
    REMINDER_MAX_MINUTES,
    Release,
    Reminder,
    SafetyAnswer,
    Session,
    SessionStatus,
    ShareLink,
)
from routines.models import (
    HOLD_MAX_SECONDS,
    HOLD_MIN_SECONDS,
    Area,
    EvidenceLevel,
    MapView,
    Point,
    Routine,
    RoutineStep,
    Side,
)

FORMAT_NAME = "tenderspot-journal"
FORMAT_VERSION = 1


def _dt(value: datetime | None) -> str | None:
    return value.astimezone(timezone.UTC).isoformat() if value else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


# Export ---------------------------------------------------------------------------------------------------------


def export_account(user, date_range: DateRange | None = None) -> dict[str, Any]:
    """Everything the user owns as plain data. `date_range` limits the sessions; the rest is always whole."""
    date_range = date_range or DateRange()
    profile = user.profile
    points = list(
        Point.objects.filter(owner=user)
        .select_related("area")
        .prefetch_related("also_listed_in")
        .order_by("created_at", "pk")
    )
    point_refs: dict[int, str] = {p.pk: f"custom:{n}" for n, p in enumerate(points, start=1)}
    routines = list(Routine.objects.owned_by(user).prefetch_related("steps").order_by("created_at", "pk"))
    routine_refs: dict[int, str] = {r.pk: f"routine:{n}" for n, r in enumerate(routines, start=1)}
    builtin_points = dict(Point.objects.builtin().values_list("pk", "slug"))
    builtin_routines = dict(Routine.objects.builtin().values_list("pk", "slug"))

    def point_ref(pk: int | None) -> str | None:
        if pk in point_refs:
            return point_refs[pk]
        if pk in builtin_points:
            return f"builtin:{builtin_points[pk]}"
        return None

    def routine_ref(pk: int | None) -> str | None:
        if pk in routine_refs:
            return routine_refs[pk]
        if pk in builtin_routines:
            return f"builtin:{builtin_routines[pk]}"
        return None

    sessions = Session.objects.for_user(user).between(date_range.start, date_range.end).order_by("started_at", "pk")
    releases_by_session: dict[int, list[dict]] = {}
    for release in (
        Release.objects.for_user(user).between(date_range.start, date_range.end).order_by("session_id", "position")
    ):
        releases_by_session.setdefault(release.session_id, []).append(
            {
                "position": release.position,
                "point": point_ref(release.point_id),
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
        )

    return {
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
        },
        "points": [
            {
                "ref": point_refs[p.pk],
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
            for p in points
        ],
        "routines": [
            {
                "ref": routine_refs[r.pk],
                "name": r.name,
                "description": r.description,
                "archived": r.archived,
                "copied_from": routine_ref(r.copied_from_id),
                "created_at": _dt(r.created_at),
                "steps": [
                    {
                        "position": s.position,
                        "point": point_ref(s.point_id),
                        "side": s.side,
                        "hold_seconds": s.hold_seconds,
                    }
                    for s in sorted(r.steps.all(), key=lambda s: s.position)
                ],
            }
            for r in routines
        ],
        "sessions": [
            {
                "routine": routine_ref(s.routine_id),
                "routine_name": s.routine_name,
                "plan": [
                    {
                        "point": point_ref(step.get("point_id")),
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
                "notes": s.notes,
                "releases": releases_by_session.get(s.pk, []),
            }
            for s in sessions
        ],
        # Metadata only: the tokens are never stored, and their hashes are never exported.
        "share_links": [
            {
                "label": link.label,
                "start_date": _d(link.start_date),
                "end_date": _d(link.end_date),
                "created_at": _dt(link.created_at),
                "expires_at": _dt(link.expires_at),
                "revoked_at": _dt(link.revoked_at),
                "last_opened_at": _dt(link.last_opened_at),
                "times_opened": link.times_opened,
            }
            for link in ShareLink.objects.for_user(user).order_by("created_at", "pk")
        ],
        "reminders": [
            {
                "routine": routine_ref(reminder.routine_id),
                "weekdays": list(reminder.weekdays),
                "time_of_day": reminder.time_of_day.isoformat(),
                "duration_minutes": reminder.duration_minutes,
                "created_at": _dt(reminder.created_at),
                "revoked_at": _dt(reminder.revoked_at),
            }
            for reminder in Reminder.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def export_json_bytes(user, date_range: DateRange | None = None) -> bytes:
    return json.dumps(export_account(user, date_range), ensure_ascii=False, indent=2).encode()


# Validation -----------------------------------------------------------------------------------------------------


def _create_dated(model, created_at, **fields):
    """Creates a row, then gives it the exported `created_at` (an auto_now_add field ignores one passed in)."""
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


class ImportFileError(ValueError):
    """The file cannot be imported; the message tells the user why. Nothing was changed."""


class _Checker:
    """Small typed readers that name the place of the first problem found."""

    def fail(self, where: str, problem: str):
        raise ImportFileError(f"{where}: {problem}")

    def obj(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "expected an object")
        return value

    def list(self, value, where: str) -> list:
        if not isinstance(value, list):
            self.fail(where, "expected a list")
        return value

    def objects(self, value, where: str) -> Iterator[tuple[str, dict]]:
        """(place, object) for each item of a list of objects; places count from 1, as in "points[3]"."""
        for n, item in enumerate(self.list(value, where), start=1):
            place = f"{where}[{n}]"
            yield place, self.obj(item, place)

    def positioned(self, parent: dict, key: str, where: str) -> Iterator[tuple[str, dict, int]]:
        """`objects` of parent[key] with each one's `position` (1 to 10,000), which must not repeat."""
        seen: set[int] = set()
        for place, item in self.objects(parent.get(key, []), f"{where}.{key}"):
            position = self.int(item, "position", place, 1, 10_000)
            if position in seen:
                self.fail(f"{place}.position", "appears twice")
            seen.add(position)
            yield place, item, position

    def text(self, d: dict, key: str, where: str, max_length: int, blank: bool = True) -> str:
        value = d.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "expected text")
        if len(value) > max_length:
            self.fail(f"{where}.{key}", f"longer than {max_length} characters")
        if not blank and not value.strip():
            self.fail(f"{where}.{key}", "must not be empty")
        return value

    def int(self, d: dict, key: str, where: str, low: int, high: int, null: bool = False) -> int | None:
        value = d.get(key)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{where}.{key}", "expected a whole number")
        if not low <= value <= high:
            self.fail(f"{where}.{key}", f"must be between {low} and {high}")
        return value

    def bool(self, d: dict, key: str, where: str, null: bool = False) -> bool | None:
        value = d.get(key)
        if value is None and null:
            return None
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", "expected true or false")
        return value

    def choice(self, d: dict, key: str, where: str, choices) -> str:
        value = d.get(key)
        if value not in set(choices):
            self.fail(f"{where}.{key}", f"must be one of {', '.join(repr(c) for c in choices)}")
        return value

    def datetime(self, d: dict, key: str, where: str, null: bool = False) -> datetime | None:
        value = d.get(key)
        if value is None and null:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{where}.{key}", "expected a date and time such as 2026-01-31T08:00:00+00:00")
        if parsed.tzinfo is None:
            self.fail(f"{where}.{key}", "the time needs its UTC offset")
        return parsed

    def date(self, d: dict, key: str, where: str, null: bool = False) -> date | None:
        value = d.get(key)
        if value is None and null:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{where}.{key}", "expected a date such as 2026-01-31")

    def time(self, d: dict, key: str, where: str) -> time:
        try:
            return time.fromisoformat(d.get(key))
        except (TypeError, ValueError):
            self.fail(f"{where}.{key}", "expected a time such as 07:30:00")


def parse_file(raw: bytes) -> dict:
    """Parses and checks the envelope: size, JSON, format name and version."""
    if len(raw) > settings.TENDERSPOT_IMPORT_MAX_BYTES:
        limit_mb = settings.TENDERSPOT_IMPORT_MAX_BYTES / (1024 * 1024)
        raise ImportFileError(f"The file is larger than the {limit_mb:g} MB this server accepts.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFileError("This file is not valid JSON. Choose a file made by a Tenderspot JSON export.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFileError("This is not a Tenderspot journal export (its format name is missing or different).")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFileError("The file's format version is missing or not a whole number.")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            f"This file uses format version {version}, newer than this server understands (version "
            f"{FORMAT_VERSION}). Update Tenderspot here, then import it again."
        )
    return data


@dataclass
class ImportReport:
    points: int = 0
    routines: int = 0
    sessions: int = 0
    releases: int = 0
    share_links: int = 0
    reminders: int = 0
    profile_updated: bool = False
    skipped_existing: int = 0

    @property
    def added_anything(self) -> bool:
        return any([self.points, self.routines, self.sessions, self.releases, self.share_links, self.reminders])


class _Importer:
    def __init__(self, user, data: dict):
        self.user = user
        self.data = data
        self.c = _Checker()
        self.report = ImportReport()
        self.point_map: dict[str, Point] = {}
        self.routine_map: dict[str, Routine] = {}
        self.builtin_points = {p.slug: p for p in Point.objects.builtin()}
        self.builtin_routines = {r.slug: r for r in Routine.objects.builtin()}
        self.areas = {a.slug: a for a in Area.objects.all()}

    # references
    def point(self, ref, where: str, null: bool = True) -> Point | None:
        if ref is None and null:
            return None
        if isinstance(ref, str) and ref.startswith("builtin:"):
            point = self.builtin_points.get(ref.removeprefix("builtin:"))
            if point is None:
                if null:
                    return None
                self.c.fail(where, f"the built-in point {ref!r} does not exist on this server")
            return point
        if ref in self.point_map:
            return self.point_map[ref]
        self.c.fail(where, f"refers to a point {ref!r} that the file does not define")

    def routine(self, ref, where: str) -> Routine | None:
        if ref is None:
            return None
        if isinstance(ref, str) and ref.startswith("builtin:"):
            return self.builtin_routines.get(ref.removeprefix("builtin:"))
        if ref in self.routine_map:
            return self.routine_map[ref]
        self.c.fail(where, f"refers to a routine {ref!r} that the file does not define")

    def run(self) -> ImportReport:
        c, d = self.c, self.data
        for key in ("points", "routines", "sessions", "share_links", "reminders"):
            c.list(d.get(key, []), key)
        self.profile(c.obj(d.get("profile", {}), "profile"))
        self.points(d.get("points", []))
        self.routines(d.get("routines", []))
        self.sessions(d.get("sessions", []))
        self.share_links(d.get("share_links", []))
        self.reminders(d.get("reminders", []))
        return self.report

    def profile(self, p: dict) -> None:
        if not p:
            return
        c, profile = self.c, self.user.profile
        zone = c.text(p, "time_zone", "profile", 64, blank=False)
        try:
            validate_time_zone(zone)
        except ValidationError:
            c.fail("profile.time_zone", f"unknown time zone {zone!r}")
        values = {
            "time_zone": zone,
            "default_hold_seconds": c.int(p, "default_hold_seconds", "profile", HOLD_MIN_SECONDS, HOLD_MAX_SECONDS),
            "sound_on": c.bool(p, "sound_on", "profile"),
            "lead_in_seconds": c.int(p, "lead_in_seconds", "profile", 0, 30),
            "safety_acknowledged_at": c.datetime(p, "safety_acknowledged_at", "profile", null=True),
        }
        changed = [k for k, v in values.items() if getattr(profile, k) != v]
        if changed:
            for k in changed:
                setattr(profile, k, values[k])
            profile.save(update_fields=changed)
            self.report.profile_updated = True

    def points(self, items: list) -> None:
        c = self.c
        existing = {(p.name, p.created_at): p for p in Point.objects.filter(owner=self.user)}
        for where, item in c.objects(items, "points"):
            ref = c.text(item, "ref", where, 40, blank=False)
            if not ref.startswith("custom:") or ref in self.point_map:
                c.fail(f"{where}.ref", "must be a unique 'custom:<n>' reference")
            name = c.text(item, "name", where, 80, blank=False)
            created_at = c.datetime(item, "created_at", where)
            area_slug = item.get("area")
            if area_slug is not None and area_slug not in self.areas:
                c.fail(f"{where}.area", f"unknown area {area_slug!r}")
            also = c.list(item.get("also_listed_in", []), f"{where}.also_listed_in")
            for slug in also:
                if slug not in self.areas:
                    c.fail(f"{where}.also_listed_in", f"unknown area {slug!r}")
            fields = {
                "name": name,
                "area": self.areas.get(area_slug) if area_slug else None,
                "location": c.text(item, "location", where, 5000),
                "how_to_find": c.text(item, "how_to_find", where, 5000),
                "technique": c.text(item, "technique", where, 5000),
                "tool": c.text(item, "tool", where, 120),
                "default_hold_seconds": c.int(item, "default_hold_seconds", where, HOLD_MIN_SECONDS, HOLD_MAX_SECONDS),
                "pressure_guidance": c.text(item, "pressure_guidance", where, 5000),
                "referral_note": c.text(item, "referral_note", where, 5000),
                "evidence_level": c.choice(item, "evidence_level", where, EvidenceLevel.values),
                "evidence_note": c.text(item, "evidence_note", where, 5000),
                "contraindications": c.text(item, "contraindications", where, 5000),
                "map_view": c.choice(item, "map_view", where, MapView.values),
                "map_x": self.percent(item, "map_x", where),
                "map_y": self.percent(item, "map_y", where),
                "order": c.int(item, "order", where, 0, 32767),
            }
            point = existing.get((name, created_at))
            if point is None:
                point = _create_dated(Point, created_at, owner=self.user, slug=Point.custom_slug(name), **fields)
                point.also_listed_in.set([self.areas[s] for s in also])
                existing[(name, created_at)] = point
                self.report.points += 1
            else:
                self.report.skipped_existing += 1
            self.point_map[ref] = point

    def percent(self, item: dict, key: str, where: str) -> str:
        try:
            value = Decimal(str(item.get(key)))
        except InvalidOperation:
            self.c.fail(f"{where}.{key}", "expected a number")
        if not value.is_finite() or not 0 <= value <= 100:
            self.c.fail(f"{where}.{key}", "must be between 0 and 100")
        return str(value.quantize(Decimal("0.01")))

    def routines(self, items: list) -> None:
        c = self.c
        existing = {(r.name, r.created_at): r for r in Routine.objects.owned_by(self.user)}
        pending_copied: list[tuple[Routine, Any, str]] = []
        for where, item in c.objects(items, "routines"):
            ref = c.text(item, "ref", where, 40, blank=False)
            if not ref.startswith("routine:") or ref in self.routine_map:
                c.fail(f"{where}.ref", "must be a unique 'routine:<n>' reference")
            name = c.text(item, "name", where, 100, blank=False)
            created_at = c.datetime(item, "created_at", where)
            description = c.text(item, "description", where, 5000)
            archived = c.bool(item, "archived", where)
            steps = []
            for swhere, step, position in c.positioned(item, "steps", where):
                steps.append(
                    RoutineStep(
                        position=position,
                        point=self.point(step.get("point"), f"{swhere}.point", null=False),
                        side=c.choice(step, "side", swhere, Side.values),
                        hold_seconds=c.int(step, "hold_seconds", swhere, 1, HOLD_MAX_SECONDS),
                    )
                )
            routine = existing.get((name, created_at))
            if routine is None:
                routine = _create_dated(
                    Routine, created_at, owner=self.user, name=name, description=description, archived=archived
                )
                for step in steps:
                    step.routine = routine
                RoutineStep.objects.bulk_create(steps)
                pending_copied.append((routine, item.get("copied_from"), where))
                existing[(name, created_at)] = routine
                self.report.routines += 1
            else:
                self.report.skipped_existing += 1
            self.routine_map[ref] = routine
        for routine, copied_ref, where in pending_copied:
            copied = self.routine(copied_ref, f"{where}.copied_from") if copied_ref else None
            if copied is not None:
                Routine.objects.filter(pk=routine.pk).update(copied_from=copied)

    def sessions(self, items: list) -> None:
        c = self.c
        existing = set(Session.objects.for_user(self.user).values_list("started_at", "routine_name"))
        new_sessions: list[Session] = []
        new_releases: list[list[Release]] = []
        for where, item in c.objects(items, "sessions"):
            routine_name = c.text(item, "routine_name", where, 100, blank=False)
            started_at = c.datetime(item, "started_at", where)
            plan = []
            for pwhere, step in c.objects(item.get("plan", []), f"{where}.plan"):
                point = self.point(step.get("point"), f"{pwhere}.point")
                plan.append(
                    {
                        "point_id": point.pk if point else None,
                        "point_slug": point.slug if point else "",
                        "point_name": c.text(step, "point_name", pwhere, 80),
                        "side": c.choice(step, "side", pwhere, Side.values),
                        "hold_seconds": c.int(step, "hold_seconds", pwhere, 1, RELEASE_MAX_SECONDS),
                    }
                )
            session = Session(
                user=self.user,
                routine=self.routine(item.get("routine"), f"{where}.routine"),
                routine_name=routine_name,
                plan=plan,
                started_at=started_at,
                local_date=c.date(item, "local_date", where),
                finished_at=c.datetime(item, "finished_at", where, null=True),
                last_activity_at=c.datetime(item, "last_activity_at", where),
                status=c.choice(item, "status", where, SessionStatus.values),
                pain_before=c.int(item, "pain_before", where, 0, 10, null=True),
                pain_after=c.int(item, "pain_after", where, 0, 10, null=True),
                # Absent from backups made before back pain was asked: None.
                back_pain_before=c.int(item, "back_pain_before", where, 0, 10, null=True),
                back_pain_after=c.int(item, "back_pain_after", where, 0, 10, null=True),
                safety_check=c.choice(item, "safety_check", where, SafetyAnswer.values),
                notes=c.text(item, "notes", where, NOTES_MAX_LENGTH),
            )
            releases = []
            for rwhere, rel, position in c.positioned(item, "releases", where):
                releases.append(
                    Release(
                        position=position,
                        point=self.point(rel.get("point"), f"{rwhere}.point"),
                        point_name=c.text(rel, "point_name", rwhere, 80),
                        side=c.choice(rel, "side", rwhere, Side.values),
                        prescribed_seconds=c.int(rel, "prescribed_seconds", rwhere, 0, RELEASE_MAX_SECONDS),
                        held_seconds=c.int(rel, "held_seconds", rwhere, 0, RELEASE_MAX_SECONDS),
                        started_at=c.datetime(rel, "started_at", rwhere, null=True),
                        ended_at=c.datetime(rel, "ended_at", rwhere, null=True),
                        skipped=c.bool(rel, "skipped", rwhere),
                        tender=c.bool(rel, "tender", rwhere, null=True),
                        pressure=c.int(rel, "pressure", rwhere, 0, 10, null=True),
                        pain_now=c.int(rel, "pain_now", rwhere, 0, 10, null=True),
                        stopped_early=c.bool(rel, "stopped_early", rwhere),
                        notes=c.text(rel, "notes", rwhere, NOTES_MAX_LENGTH),
                        logged_at=c.datetime(rel, "logged_at", rwhere),
                    )
                )
            key = (started_at, routine_name)
            if key in existing:
                self.report.skipped_existing += 1
                continue
            existing.add(key)
            new_sessions.append(session)
            new_releases.append(releases)
        created = Session.objects.bulk_create(new_sessions, batch_size=500)
        to_create = []
        for session, releases in zip(created, new_releases, strict=True):
            for release in releases:
                release.session = session
                to_create.append(release)
        Release.objects.bulk_create(to_create, batch_size=1000)
        self.report.sessions += len(created)
        self.report.releases += len(to_create)

    def share_links(self, items: list) -> None:
        c = self.c
        existing = set(ShareLink.objects.for_user(self.user).values_list("label", "created_at"))
        for where, item in c.objects(items, "share_links"):
            label = c.text(item, "label", where, 100, blank=False)
            created_at = c.datetime(item, "created_at", where)
            fields = {
                "start_date": c.date(item, "start_date", where, null=True),
                "end_date": c.date(item, "end_date", where, null=True),
                "expires_at": c.datetime(item, "expires_at", where),
                "revoked_at": c.datetime(item, "revoked_at", where, null=True),
                "last_opened_at": c.datetime(item, "last_opened_at", where, null=True),
                "times_opened": c.int(item, "times_opened", where, 0, 2**31 - 1),
            }
            if (label, created_at) in existing:
                self.report.skipped_existing += 1
                continue
            existing.add((label, created_at))
            # A hash of a token nobody holds: the link is kept for the record but cannot be opened.
            _create_dated(ShareLink, created_at, user=self.user, label=label, token_hash=new_token()[1], **fields)
            self.report.share_links += 1

    def reminders(self, items: list) -> None:
        c = self.c
        existing = {
            (r.time_of_day, tuple(sorted(set(r.weekdays))), r.created_at)
            for r in Reminder.objects.filter(user=self.user)
        }
        for where, item in c.objects(items, "reminders"):
            weekdays = c.list(item.get("weekdays"), f"{where}.weekdays")
            if not weekdays or any(type(d) is not int or d not in range(7) for d in weekdays):
                c.fail(f"{where}.weekdays", "expected day numbers 0 (Monday) to 6 (Sunday)")
            weekdays = sorted(set(weekdays))  # as ReminderForm.clean_weekdays stores them
            time_of_day = c.time(item, "time_of_day", where)
            created_at = c.datetime(item, "created_at", where)
            fields = {
                "routine": self.routine(item.get("routine"), f"{where}.routine"),
                "duration_minutes": c.int(item, "duration_minutes", where, 1, REMINDER_MAX_MINUTES),
                "revoked_at": c.datetime(item, "revoked_at", where, null=True),
            }
            key = (time_of_day, tuple(weekdays), created_at)
            if key in existing:
                self.report.skipped_existing += 1
                continue
            existing.add(key)
            _create_dated(
                Reminder,
                created_at,
                user=self.user,
                weekdays=weekdays,
                time_of_day=time_of_day,
                token_hash=new_token()[1],
                **fields,
            )
            self.report.reminders += 1


def import_account(user, raw: bytes) -> ImportReport:
    """Imports a JSON export into `user`'s account: all of it or, on any problem, nothing."""
    data = parse_file(raw)
    try:
        with transaction.atomic():
            report = _Importer(user, data).run()
    except IntegrityError:
        raise ImportFileError("The file contradicts itself or this account's data; nothing was imported.") from None
    return report
