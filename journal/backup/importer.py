"""Restores a JSON backup into an account: check the whole file first, then write it in short transactions.

1. Check: the file is read as a stream (`reader.walk`) and every item is checked against `schema`, with every
   reference resolved. Any problem stops here, before anything is written: the user's account is unchanged.
   Checked items are spooled to a temporary file, a batch at a time.
2. Write: the checked items are read back from the spool and written in batches, each in a transaction of its own
   that holds the account lock. A batch's size adapts as the import runs so that each transaction lasts about
   BATCH_SECONDS (measured on this machine and database). On SQLite a transaction holds the whole database's write
   lock, so other users' writes wait for one short batch (a fifth of a second), never for the whole import.

Natural keys make the import idempotent, so that a second import of the same file, two imports at once or an import
interrupted half-way and run again add each thing once: a custom point or routine is the same object when its name
and creation time match, a session when its start time and routine name match, a share link when its label and
creation time match, a reminder when its time, days and creation time match. Each batch checks its keys and inserts
under the account lock (`accounts.models.lock_account`), so two imports at once cannot both find a key missing.
Creation times are kept, so the keys survive a round trip. Imported share links and reminders get fresh secret
hashes nobody holds, so they cannot be opened until renewed.
"""

import io
import pickle
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from accounts.models import PrecautionProfile, lock_account
from journal import redflags
from journal.backup import schema
from journal.backup.reader import ImportFileError, open_json, walk
from journal.models import Release, Reminder, SafetyAnswer, Session, SessionStatus, ShareLink
from journal.redflags import RedFlag
from journal.tokens import new_token
from routines.models import Area, Point, Routine, RoutineStep

# Items per transaction at most: sessions, and points, routines, share links or reminders (each a few queries).
BATCH_SESSIONS = 1000
BATCH_ROWS = 100
# Rows per transaction (a session and each of its releases are a row each): the first batch has BATCH_START_ROWS,
# then each batch is sized from the last one's speed to take about BATCH_SECONDS, within the bounds. SQLite's
# batches are short, since every other writer of the instance waits for them; on PostgreSQL only this account's
# own writers do (the account lock), and fewer, larger transactions cost less.
BATCH_SECONDS = {"sqlite": 0.2}
BATCH_SECONDS_OTHER = 0.5
BATCH_START_ROWS = 400
BATCH_MIN_ROWS, BATCH_MAX_ROWS = 50, 5000
SPOOL_BATCH = 200  # checked items pickled together to the spool
# Between two batches on SQLite the import leaves the write lock free for at least this long. SQLite has no queue
# for its lock: a writer that waits retries after sleeps that grow to 100 ms, and would otherwise keep missing the
# moment between two batches. The time spent reading and preparing the next batch counts towards it.
SQLITE_PAUSE_SECONDS = 0.1
# How far ahead of this server's clock the exporting server's clock may have been.
CLOCK_LEEWAY = timedelta(minutes=10)

__all__ = ["ImportFileError", "ImportReport", "import_account"]


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
    # References to built-in points or routines this server does not have (a catalogue renamed since the export):
    # the sessions, releases and reminders that name them are kept by name, without the link.
    unknown_builtins: list[str] = field(default_factory=list)

    @property
    def added_anything(self) -> bool:
        return any([self.points, self.routines, self.sessions, self.releases, self.share_links, self.reminders])


def _item(model: type[schema.Strict], value: Any, where: str) -> Any:
    try:
        return schema.validate_item(model, value, where)
    except ValueError as error:
        raise ImportFileError(str(error)) from None


def _check_envelope(key: str, value: Any) -> None:
    if key == "format" and value != schema.FORMAT_NAME:
        raise ImportFileError("This is not a Tenderspot journal export (its format name is missing or different).")
    if key == "version":
        if type(value) is not int or value < 1:
            raise ImportFileError("The file's format version is missing or not a whole number.")
        if value > schema.FORMAT_VERSION:
            raise ImportFileError(
                f"This file uses format version {value}, newer than this server understands (version "
                f"{schema.FORMAT_VERSION}). Update Tenderspot here, then import it again."
            )


def _session_values(item: schema.SessionData) -> dict[str, Any]:
    """What `item.model_dump()` gives (its releases and plan steps as dicts too), from the models' own attribute
    dicts: twenty times faster than pydantic's serializer for these fields, and the dicts are only pickled."""
    values = dict(vars(item))
    values["releases"] = [vars(release) for release in item.releases]
    values["plan"] = [vars(step) for step in item.plan]
    return values


@dataclass
class _Plan:
    """What the check found: the references the file defines, its profile, and each list's checked items, spooled
    to a temporary file a batch at a time (so the write pass neither parses nor checks again, and memory holds
    one batch). Sessions are spooled as their values (`_session_values`): pickling tens of thousands of pydantic
    models and rebuilding them cost several times as much, for the same values."""

    point_refs: set[str] = field(default_factory=set)
    routine_refs: set[str] = field(default_factory=set)
    profile: schema.ProfileData | None = None
    precautions: schema.PrecautionData | None = None
    spools: dict[str, IO[bytes]] = field(default_factory=dict)
    pending: dict[str, list[Any]] = field(default_factory=dict)
    unknown_builtins: set[str] = field(default_factory=set)

    def keep(self, key: str, item: schema.Strict) -> None:
        batch = self.pending.setdefault(key, [])
        batch.append(_session_values(item) if isinstance(item, schema.SessionData) else item)
        if len(batch) >= SPOOL_BATCH:
            self._spill(key)

    def _spill(self, key: str) -> None:
        batch = self.pending.pop(key, [])
        if batch:
            if key not in self.spools:
                self.spools[key] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
            spool = self.spools[key]
            pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)

    def items(self, key: str) -> Iterator[Any]:
        """The checked items of list `key`, in file order (a session's as a dict of its values)."""
        self._spill(key)
        spool = self.spools.get(key)
        if spool is None:
            return
        spool.seek(0)
        while True:
            try:
                # Our own spool, written a moment ago by this request: never bytes from the upload.
                batch = pickle.load(spool)  # noqa: S301
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()


class _Checker:
    """Pass 1: every item against the schema, every reference against what the file and the server define."""

    def __init__(self) -> None:
        self.plan = _Plan()
        self.builtin_points = set(Point.objects.builtin().values_list("slug", flat=True))
        self.builtin_routines = set(Routine.objects.builtin().values_list("slug", flat=True))
        self.copies: dict[str, tuple[str, str]] = {}  # routine ref -> (its copied_from ref, where)
        self.now = timezone.now()
        self.areas = set(Area.objects.values_list("slug", flat=True))
        self.point_uses: dict[str, str] = {}
        self.routine_uses: dict[str, str] = {}

    def run(self, stream: IO[bytes]) -> _Plan:
        envelope: dict[str, Any] = {}
        for key, n, value in walk(stream):
            if key in schema.LISTS and n == 0:
                if not isinstance(value, list):
                    raise ImportFileError(f"{key}: expected a list")
                continue
            if key in schema.LISTS:
                self._check_envelope_seen(envelope)
                item = _item(schema.LISTS[key][0], value, f"{key}[{n}]")
                getattr(self, key)(item, f"{key}[{n}]")
                self.plan.keep(key, item)
            else:
                envelope[key] = value
                _check_envelope(key, value)
                model = schema.ENVELOPE[key]
                if model is not None and not (key == "profile" and value == {}):
                    checked = _item(model, value, key)
                    if key == "profile":
                        self.plan.profile = checked
                    elif key == "precautions":
                        self.plan.precautions = checked
        self._check_envelope_seen(envelope)
        for ref, where in self.point_uses.items():
            if ref not in self.plan.point_refs:
                raise ImportFileError(f"{where}: refers to a point {ref!r} that the file does not define")
        for ref, where in self.routine_uses.items():
            if ref not in self.plan.routine_refs:
                raise ImportFileError(f"{where}: refers to a routine {ref!r} that the file does not define")
        self._check_copy_chains()
        return self.plan

    def _check_copy_chains(self) -> None:
        """A routine is never (through other routines) a copy of itself: a copy is made from a routine that was
        there before it."""
        for start, (_, where) in self.copies.items():
            seen = {start}
            ref = self.copies[start][0]
            while ref in self.copies:
                if ref in seen:
                    raise ImportFileError(f"{where}: the routines' copied_from references go round in a circle")
                seen.add(ref)
                ref = self.copies[ref][0]

    @staticmethod
    def _check_envelope_seen(envelope: dict[str, Any]) -> None:
        """The format name and version must be known before any item counts (they come first in an export)."""
        if "format" not in envelope:
            raise ImportFileError("This is not a Tenderspot journal export (its format name is missing or different).")
        if "version" not in envelope:
            raise ImportFileError("The file's format version is missing or not a whole number.")

    def point_ref(self, ref: str | None, where: str, required: bool = False) -> None:
        if ref is None:
            if required:
                raise ImportFileError(f"{where}: is missing")
            return
        if ref.startswith("builtin:"):
            if ref.removeprefix("builtin:") not in self.builtin_points:
                if required:
                    raise ImportFileError(f"{where}: the built-in point {ref!r} does not exist on this server")
                self.plan.unknown_builtins.add(f"point “{ref.removeprefix('builtin:')}”")
            return
        self.point_uses.setdefault(ref, where)

    def routine_ref(self, ref: str | None, where: str) -> None:
        if ref is None:
            return
        if ref.startswith("builtin:"):
            if ref.removeprefix("builtin:") not in self.builtin_routines:
                self.plan.unknown_builtins.add(f"routine “{ref.removeprefix('builtin:')}”")
            return
        self.routine_uses.setdefault(ref, where)

    @staticmethod
    def positions(items: Sequence[schema.StepData | schema.ReleaseData], where: str) -> None:
        seen: set[int] = set()
        for n, item in enumerate(items, start=1):
            if item.position in seen:
                raise ImportFileError(f"{where}[{n}].position: appears twice")
            seen.add(item.position)

    def points(self, item: schema.PointData, where: str) -> None:
        if not item.ref.startswith("custom:") or item.ref in self.plan.point_refs:
            raise ImportFileError(f"{where}.ref: must be a unique 'custom:<n>' reference")
        self.plan.point_refs.add(item.ref)
        if item.area is not None and item.area not in self.areas:
            raise ImportFileError(f"{where}.area: unknown area {item.area!r}")
        for slug in item.also_listed_in:
            if slug not in self.areas:
                raise ImportFileError(f"{where}.also_listed_in: unknown area {slug!r}")

    def routines(self, item: schema.RoutineData, where: str) -> None:
        if not item.ref.startswith("routine:") or item.ref in self.plan.routine_refs:
            raise ImportFileError(f"{where}.ref: must be a unique 'routine:<n>' reference")
        self.plan.routine_refs.add(item.ref)
        self.positions(item.steps, f"{where}.steps")
        for n, step in enumerate(item.steps, start=1):
            self.point_ref(step.point, f"{where}.steps[{n}].point", required=True)
        self.routine_ref(item.copied_from, f"{where}.copied_from")
        if item.copied_from == item.ref:
            raise ImportFileError(f"{where}.copied_from: a routine cannot be a copy of itself")
        if item.copied_from is not None and not item.copied_from.startswith("builtin:"):
            self.copies[item.ref] = (item.copied_from, f"{where}.copied_from")

    def sessions(self, item: schema.SessionData, where: str) -> None:
        if item.status == SessionStatus.IN_PROGRESS and item.last_activity_at > self.now + CLOCK_LEEWAY:
            # It would never go stale, and would be offered to resume for years.
            raise ImportFileError(
                f"{where}.last_activity_at: a session still in progress cannot have its last activity in the future"
            )
        self.routine_ref(item.routine, f"{where}.routine")
        for n, step in enumerate(item.plan, start=1):
            self.point_ref(step.point, f"{where}.plan[{n}].point")
        self.positions(item.releases, f"{where}.releases")
        for n, release in enumerate(item.releases, start=1):
            self.point_ref(release.point, f"{where}.releases[{n}].point")

    def share_links(self, item: schema.ShareLinkData, where: str) -> None:
        pass

    def reminders(self, item: schema.ReminderData, where: str) -> None:
        self.routine_ref(item.routine, f"{where}.routine")


def _red_flag(safety_check: str, red_flag_items: list[str]) -> dict[str, Any]:
    """The signs of a red flag in the order the check asks them, and the tier they make (never taken from the
    file); a "yes" without signs (an older file) is an unspecified sign."""
    if safety_check != SafetyAnswer.YES:
        return {"red_flag_items": [], "red_flag_tier": ""}
    items = redflags.ordered(red_flag_items or [RedFlag.UNSPECIFIED])
    return {"red_flag_items": items, "red_flag_tier": redflags.tier_of(items)}


def _dated(model: type[models.Model], created_at: datetime, **fields: Any) -> Any:
    """Creates a row, then gives it the exported `created_at` (an auto_now_add field ignores one passed in)."""
    row: Any = model._default_manager.create(**fields)
    model._default_manager.filter(pk=row.pk).update(created_at=created_at)
    row.created_at = created_at
    return row


class _Writer:
    """Pass 2: writes what pass 1 checked, a batch per transaction, each under the account lock."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.report = ImportReport()
        self.points_by_ref: dict[str, Point] = {}
        self.routines_by_ref: dict[str, Routine] = {}
        self.builtin_points = {p.slug: p for p in Point.objects.builtin()}
        self.builtin_routines = {r.slug: r for r in Routine.objects.builtin()}
        self.areas = {a.slug: a for a in Area.objects.all()}
        self.copied: list[tuple[int, str]] = []
        self.batch_rows = BATCH_START_ROWS
        self.batch_seconds = BATCH_SECONDS.get(connection.vendor, BATCH_SECONDS_OTHER)
        self.pause = SQLITE_PAUSE_SECONDS if connection.vendor == "sqlite" else 0.0
        self.committed_at: float | None = None  # when the last batch let go of the lock

    def point(self, ref: str | None) -> Point | None:
        if ref is None:
            return None
        if ref.startswith("builtin:"):
            return self.builtin_points.get(ref.removeprefix("builtin:"))
        return self.points_by_ref[ref]

    def routine(self, ref: str | None) -> Routine | None:
        if ref is None:
            return None
        if ref.startswith("builtin:"):
            return self.builtin_routines.get(ref.removeprefix("builtin:"))
        return self.routines_by_ref[ref]

    def run(self, plan: _Plan) -> ImportReport:
        if plan.profile is not None:
            self.profile(plan.profile)
        if plan.precautions is not None:
            self.precautions(plan.precautions)
        for key in schema.LISTS:  # each list after the lists it refers to, wherever the file put it
            most = BATCH_SESSIONS if key == "sessions" else BATCH_ROWS
            buffer: list[Any] = []
            rows = 0
            for item in plan.items(key):
                buffer.append(item)
                rows += 1 + (len(item["releases"]) if key == "sessions" else 0)
                if len(buffer) >= most or rows >= self.batch_rows:
                    self.flush(key, buffer, rows)
                    buffer, rows = [], 0
            self.flush(key, buffer, rows)
        self.link_copies()
        self.report.unknown_builtins = sorted(plan.unknown_builtins)
        return self.report

    def flush(self, key: str, batch: list[Any], rows: int = 0) -> None:
        if not batch:
            return
        if key == "sessions":
            batch = self.prepare_sessions(batch)  # the rows are built before the lock is taken, not under it
        self.wait_for_others()
        started = time.perf_counter()
        with transaction.atomic():
            lock_account(self.user)
            getattr(self, key)(batch)
        self.committed_at = time.perf_counter()
        elapsed = self.committed_at - started
        if key == "sessions" and rows >= BATCH_MIN_ROWS:
            # Half way towards the size that would have taken BATCH_SECONDS: one slow batch (a checkpoint, a busy
            # neighbour) does not halve the next at once.
            fitting = rows * self.batch_seconds / max(elapsed, 0.001)
            self.batch_rows = int(min(max((self.batch_rows + fitting) / 2, BATCH_MIN_ROWS), BATCH_MAX_ROWS))

    def wait_for_others(self) -> None:
        """Before a batch's transaction on SQLite: sleeps what is left of SQLITE_PAUSE_SECONDS since the last batch
        let go of the lock (reading and preparing this batch took the rest)."""
        if self.committed_at is not None:
            left = self.pause - (time.perf_counter() - self.committed_at)
            if left > 0:
                time.sleep(left)

    def precautions(self, data: schema.PrecautionData) -> None:
        """The file's answers replace the account's (like the profile's settings); answers the file does not have
        (an older file) are left as they are."""
        with transaction.atomic():
            lock_account(self.user)
            PrecautionProfile.objects.update_or_create(user=self.user, defaults=data.model_dump(exclude_unset=True))
            self.report.profile_updated = True

    def profile(self, data: schema.ProfileData) -> None:
        with transaction.atomic():
            lock_account(self.user)
            profile = self.user.profile
            profile.refresh_from_db()
            # Settings the file does not have (an older file) stay as they are, and the safety notice, once
            # acknowledged, is never un-acknowledged by a file that has no acknowledgement.
            values = data.model_dump(exclude_unset=True)
            if values.get("safety_acknowledged_at", ...) is None:
                del values["safety_acknowledged_at"]
            changed = [k for k, v in values.items() if getattr(profile, k) != v]
            if changed:
                for k in changed:
                    setattr(profile, k, values[k])
                profile.save(update_fields=changed)
                self.report.profile_updated = True

    def points(self, items: list[schema.PointData]) -> None:
        existing = {(p.name, p.created_at): p for p in Point.objects.filter(owner=self.user)}
        for item in items:
            point = existing.get((item.name, item.created_at))
            if point is None:
                fields = item.model_dump(exclude={"ref", "created_at", "area", "also_listed_in"})
                point = _dated(
                    Point,
                    item.created_at,
                    owner=self.user,
                    slug=Point.custom_slug(item.name),
                    area=self.areas.get(item.area) if item.area else None,
                    **fields,
                )
                point.also_listed_in.set([self.areas[s] for s in item.also_listed_in])
                existing[(item.name, item.created_at)] = point
                self.report.points += 1
            else:
                self.report.skipped_existing += 1
            self.points_by_ref[item.ref] = point

    def routines(self, items: list[schema.RoutineData]) -> None:
        existing = {(r.name, r.created_at): r for r in Routine.objects.owned_by(self.user)}
        for item in items:
            routine = existing.get((item.name, item.created_at))
            if routine is None:
                routine = _dated(
                    Routine,
                    item.created_at,
                    owner=self.user,
                    name=item.name,
                    description=item.description,
                    archived=item.archived,
                )
                RoutineStep.objects.bulk_create(
                    RoutineStep(
                        routine=routine,
                        position=step.position,
                        point=self.point(step.point),
                        side=step.side,
                        hold_seconds=step.hold_seconds,
                    )
                    for step in item.steps
                )
                if item.copied_from:
                    self.copied.append((routine.pk, item.copied_from))
                existing[(item.name, item.created_at)] = routine
                self.report.routines += 1
            else:
                self.report.skipped_existing += 1
            self.routines_by_ref[item.ref] = routine

    def link_copies(self) -> None:
        if not self.copied:
            return
        self.wait_for_others()
        with transaction.atomic():
            lock_account(self.user)
            for pk, ref in self.copied:
                copied = self.routine(ref)
                if copied is not None:
                    Routine.objects.filter(pk=pk).update(copied_from=copied)

    def _plan_step(self, step: dict[str, Any]) -> dict[str, Any]:
        point = self.point(step["point"])
        return {
            "point_id": point.pk if point else None,
            "point_slug": point.slug if point else "",
            "point_name": step["point_name"],
            "side": step["side"],
            "hold_seconds": step["hold_seconds"],
        }

    def prepare_sessions(self, items: list[dict[str, Any]]) -> list[tuple[Session, list[Release]]]:
        """The rows of `items` (checked sessions' values, `schema.SessionData`'s fields), each session with its
        releases (not yet tied to the session, which has no id)."""
        rows = []
        for values in items:
            releases, plan, routine = values.pop("releases"), values.pop("plan"), values.pop("routine")
            del values["red_flag_tier"]  # worked out again from the signs, never taken from the file
            values |= _red_flag(values["safety_check"], values["red_flag_items"])
            session = Session(
                user=self.user, routine=self.routine(routine), plan=[self._plan_step(step) for step in plan], **values
            )
            rows.append((session, [Release(point=self.point(r.pop("point")), **r) for r in releases]))
        return rows

    def sessions(self, rows: list[tuple[Session, list[Release]]]) -> None:
        """Writes the prepared sessions whose natural key (start, routine name) the account does not have yet."""
        existing = set(
            Session.objects.for_user(self.user)
            .filter(started_at__in={session.started_at for session, _ in rows})
            .values_list("started_at", "routine_name")
        )
        new: list[tuple[Session, list[Release]]] = []
        for session, releases in rows:
            key = (session.started_at, session.routine_name)
            if key in existing:
                self.report.skipped_existing += 1
                continue
            existing.add(key)
            new.append((session, releases))
        created = Session.objects.bulk_create([session for session, _ in new])
        releases = []
        for session, (_, releases_of) in zip(created, new, strict=True):
            for release in releases_of:
                release.session = session
                releases.append(release)
        Release.objects.bulk_create(releases, batch_size=1000)
        self.report.sessions += len(created)
        self.report.releases += len(releases)

    def share_links(self, items: list[schema.ShareLinkData]) -> None:
        existing = set(ShareLink.objects.for_user(self.user).values_list("label", "created_at"))
        for item in items:
            if (item.label, item.created_at) in existing:
                self.report.skipped_existing += 1
                continue
            existing.add((item.label, item.created_at))
            # A hash of a token nobody holds: the link is kept for the record but cannot be opened.
            fields = item.model_dump(exclude={"created_at"})
            _dated(ShareLink, item.created_at, user=self.user, token_hash=new_token()[1], **fields)
            self.report.share_links += 1

    def reminders(self, items: list[schema.ReminderData]) -> None:
        existing = {
            (r.time_of_day, tuple(sorted(set(r.weekdays))), r.created_at)
            for r in Reminder.objects.filter(user=self.user)
        }
        for item in items:
            key = (item.time_of_day, tuple(item.weekdays), item.created_at)
            if key in existing:
                self.report.skipped_existing += 1
                continue
            existing.add(key)
            _dated(
                Reminder,
                item.created_at,
                user=self.user,
                routine=self.routine(item.routine),
                token_hash=new_token()[1],
                **item.model_dump(exclude={"routine", "created_at"}),
            )
            self.report.reminders += 1


def _as_file(source: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def _size(upload: IO[bytes]) -> int:
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def import_account(user: User, source: bytes | IO[bytes]) -> ImportReport:
    """Imports a JSON backup (plain or gzip; bytes or a seekable file) into `user`'s account. Raises
    ImportFileError, with nothing changed, when anything in the file is wrong."""
    upload = _as_file(source)
    if _size(upload) > settings.TENDERSPOT_IMPORT_MAX_BYTES:
        limit_mb = settings.TENDERSPOT_IMPORT_MAX_BYTES / (1024 * 1024)
        raise ImportFileError(f"The file is larger than the {limit_mb:g} MB this server accepts.")
    checker = _Checker()
    try:
        plan = checker.run(open_json(upload))
        return _Writer(user).run(plan)
    except IntegrityError:
        raise ImportFileError(
            "The import stopped part-way: the account changed while it ran. Import the same file again to finish; "
            "nothing will be doubled."
        ) from None
    finally:
        checker.plan.close()
