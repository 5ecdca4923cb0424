"""The practitioner report shared by the PDF and the share page: page one a clinician reads in a minute, then a
compact log (one row per session) and, only when the person asks for it, every release of the latest sessions.

Trend figures, the meaningful-change label, adherence and the per-point figures come from journal/trends; this
module gathers them for one user and range and adds what only the report needs (red flags with their items,
adverse responses with their dates, the log rows). Everything is SQL aggregates: the query count does not grow
with the log, and the log's length is capped (LOG_LIMIT, RELEASE_SESSIONS_LIMIT) so that a PDF of any range lays
out in about the same time as a year's.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Avg, Count, F, Func, IntegerField, Max, Prefetch, Q
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import PrecautionProfile, Profile
from journal import redflags
from journal.exports.report_chart import report_pain_chart
from journal.lib.daterange import DateRange
from journal.lib.text import cut
from journal.models import PRESSURE_CEILING, Release, Session, SessionQuerySet, SessionStatus
from journal.trends import aggregates, series

REPORT_CACHE = "reports"  # settings.CACHES
LOG_LIMIT = 366  # sessions in the compact log (newest first): a year of daily sessions
RELEASE_SESSIONS_LIMIT = 30  # sessions whose every release is listed, when the person asks for it
LOG_NOTE_CHARS = 80  # a session's note in the compact log, cut with a visible "…"
RELEASE_NOTE_CHARS = 160  # a release's note in the list of every release
RED_FLAG_DATES_SHOWN = 8  # per group of the same signs
RED_FLAG_GROUPS_SHOWN = 4
ADVERSE_DATES_SHOWN = 6
TENDER_ROWS = 5


@dataclass(frozen=True)
class AdverseKind:
    """One kind of adverse response in the period: how many, and the latest local dates it happened on."""

    label: str
    count: int
    dates: list[date]  # newest first, at most ADVERSE_DATES_SHOWN
    more_days: int  # further days with it, older than those listed

    @property
    def unit(self) -> str:
        return "session" if self.label.startswith("Leg pain") else "release"


@dataclass(frozen=True)
class RedFlagGroup:
    """Red-flag reports with the same signs at the same urgency: their dates, so that page one names each sign
    once however often it was reported."""

    tier: str
    items: str
    dates: list[date]  # newest first, at most RED_FLAG_DATES_SHOWN
    more: int  # further reports, older than those listed
    assessed: list[date]  # the dates by which the person said a clinician had assessed them, newest first


def _red_flag_groups(red_flags: list[dict[str, Any]]) -> list[RedFlagGroup]:
    """`red_flags` (oldest first) grouped by (tier, signs); the group with the latest report first."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for flag in reversed(red_flags):
        groups.setdefault((flag["tier"], flag["items"]), []).append(flag)
    return [
        RedFlagGroup(
            tier=tier,
            items=items,
            dates=[flag["local_date"] for flag in flags[:RED_FLAG_DATES_SHOWN]],
            more=max(len(flags) - RED_FLAG_DATES_SHOWN, 0),
            assessed=sorted({flag["assessed_on"] for flag in flags if flag["assessed_on"]}, reverse=True),
        )
        for (tier, items), flags in groups.items()
    ]


def _adverse_kind(label: str, day_counts: list[tuple[date, int]]) -> AdverseKind:
    """`day_counts`: (local date, how many that day), newest first."""
    return AdverseKind(
        label=label,
        count=sum(n for _, n in day_counts),
        dates=[d for d, _ in day_counts[:ADVERSE_DATES_SHOWN]],
        more_days=max(len(day_counts) - ADVERSE_DATES_SHOWN, 0),
    )


def _per_day(qs: SessionQuerySet) -> list[tuple[date, int]]:
    rows = qs.order_by().values("local_date").annotate(n=Count("pk")).order_by("-local_date")
    return [(row["local_date"], row["n"]) for row in rows]


def adverse_responses(user: User, start: date | None, end: date | None) -> list[AdverseKind]:
    """The three adverse responses a practitioner asks about, each counted with its dates: holds stopped early
    because they hurt, holds at a pressure above the 7 ceiling (releases), and sessions whose leg pain at the end
    was higher than at the start. Two queries, one row per day at most."""
    stopped, hard = Q(stopped_early=True), Q(pressure__gt=PRESSURE_CEILING)
    release_days = list(
        Release.objects.for_user(user)
        .done()
        .between(start, end)
        .filter(stopped | hard)
        .order_by()
        .values("local_date")
        .annotate(stopped=Count("pk", filter=stopped), hard=Count("pk", filter=hard))
        .order_by("-local_date")
    )
    rose = Session.objects.for_user(user).between(start, end).filter(pain_before__isnull=False)
    return [
        _adverse_kind(
            "Stopped early because it hurt", [(r["local_date"], r["stopped"]) for r in release_days if r["stopped"]]
        ),
        _adverse_kind(
            f"Pressure above {PRESSURE_CEILING}", [(r["local_date"], r["hard"]) for r in release_days if r["hard"]]
        ),
        _adverse_kind(
            "Leg pain higher at the end than at the start", _per_day(rose.filter(pain_after__gt=F("pain_before")))
        ),
    ]


class JSONArrayLength(Func):
    """The length of a JSON array column, in SQL (SQLite's json_array_length, PostgreSQL's jsonb_array_length):
    the log needs how many steps a session planned, not the plan itself."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


def _log_rows(user: User, sessions: SessionQuerySet) -> list[dict[str, Any]]:
    """The compact log: one dict per session, newest first, at most LOG_LIMIT, with its release counts. Two
    queries: the sessions (no join), then their releases counted per session over the same dates."""
    rows = list(
        sessions.order_by("-local_date", "-started_at", "-pk")
        .annotate(steps_planned=JSONArrayLength("plan"))
        .values(
            "pk",
            "local_date",
            "routine_name",
            "steps_planned",
            "status",
            "pain_before",
            "pain_after",
            "back_pain_before",
            "back_pain_after",
            "red_flag_tier",
            "notes",
            "idempotency_key",
        )[:LOG_LIMIT]
    )
    counts: dict[int, dict[str, Any]] = {}
    if rows:
        done = Q(skipped=False)
        counts = {
            row["session_id"]: dict(row)
            for row in Release.objects.for_user(user)
            .between(rows[-1]["local_date"], rows[0]["local_date"])
            .order_by()
            .values("session_id")
            .annotate(
                releases_done=Count("pk", filter=done),
                releases_logged=Count("pk"),
                stopped_count=Count("pk", filter=done & Q(stopped_early=True)),
                hard_count=Count("pk", filter=done & Q(pressure__gt=PRESSURE_CEILING)),
                pain_now=Max("pain_now"),  # a quick log's one release: its leg pain after the hold
            )
        }
    statuses = dict(SessionStatus.choices)
    empty: dict[str, Any] = {
        "releases_done": 0,
        "releases_logged": 0,
        "stopped_count": 0,
        "hard_count": 0,
        "pain_now": None,
    }
    # values() gives plain dicts, which this loop completes with the log's own keys.
    log = cast(list[dict[str, Any]], rows)
    for row in log:
        found = counts.get(row["pk"], empty)
        for key in empty:
            row[key] = found[key]
        row["planned"] = max(row.pop("steps_planned") or 0, row["releases_logged"])
        row["status_label"] = "" if row["status"] == SessionStatus.COMPLETED else statuses.get(row["status"], "")
        before, after = row["pain_before"], row["pain_after"]
        row["pain_rose"] = before is not None and after is not None and after > before
        row["has_back"] = row["back_pain_before"] is not None or row["back_pain_after"] is not None
        row["marks"] = "; ".join(_marks(row))
        # A quick log asks for no ratings before and after a session: its leg pain is the one after its hold.
        row["quick"] = row.pop("idempotency_key") is not None
    return log


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def log_html(rows: list[dict[str, Any]]) -> SafeString:
    """The compact log's table rows, a week's first session under a rule (as in print). Built here, each value
    escaped with html.escape, rather than in the template: a year is a few hundred rows of six cells, and the
    template engine's per-variable work would make the share page several times slower than the pages around it.
    A cell of two parts is one span: a phone's stacked table lays a cell's children side by side (flex), and the
    figure and its note then each broke in two ("12 of" / "14")."""
    out = []
    week = None
    for row in rows:
        this_week = row["local_date"].isocalendar()[:2]
        classes = ["report-flag-row"] if row["red_flag_tier"] else []
        if week is not None and this_week != week:
            classes.append("log-week")
        week = this_week
        steps = f"{row['releases_done']} of {row['planned']}"
        if row["status_label"]:
            steps += f' <span class="report-small report-status">({escape(row["status_label"].lower())})</span>'
        pain = f"{_score(row['pain_before'])} → {_score(row['pain_after'])}"
        if row["quick"]:
            pain = f"after the hold {_score(row['pain_now'])}"
        if row["has_back"]:
            back = f"back {_score(row['back_pain_before'])} → {_score(row['back_pain_after'])}"
            pain += f' <span class="report-small">{back}</span>'
        # Each mark wraps whole ("pressure >7 ×2", never "×2" alone on a line).
        marks = "; ".join(f'<span class="report-mark">{escape(mark)}</span>' for mark in _marks(row))
        marks = f"<span>{marks}</span>" if marks else ""  # an empty cell stays empty: the phone hides its line
        kind = f' class="{" ".join(classes)}"' if classes else ""
        out.append(
            f"<tr{kind}><td>{row['local_date']:%Y-%m-%d}</td><td>{escape(row['routine_name'])}</td>"
            f"<td><span>{steps}</span></td><td><span>{pain}</span></td><td>{marks}</td>"
            f"<td>{escape(cut(row['notes'], LOG_NOTE_CHARS))}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every user value above is escaped


# The printed log's width in ems of its 8 pt text: A4 (the narrower paper) less the page margins, 184 mm (521 pt),
# less 3% for rounding.
LOG_LINE_EMS = 0.97 * 521 / 8
# Advance widths in 1/1000 em of DejaVu Sans, the report's face, read from DejaVuSans.ttf with fontTools: the
# printable ASCII characters (space to "~") and the log's own signs. Its fallbacks (Liberation Sans, Arial) are
# narrower, so a line judged to fit does fit.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_SIGN_WIDTHS = {"→": 838, "⚠": 896, "×": 838, "…": 1000, "·": 318, "“": 518, "”": 518, "–": 500}
_WIDE_WIDTH = 1300  # a wide character (CJK, emoji), drawn from a fallback face
_OTHER_WIDTH = 1100  # any other character: above DejaVu Sans's widest letters (Œ is 1.07 em)


def _ems(text: str) -> float:
    """`text`'s width in ems in the printed log: exact for DejaVu Sans's ASCII and the log's signs (kerning only
    narrows it), an upper bound for anything else."""
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += _ASCII_WIDTHS[code - 32]
        elif char in _SIGN_WIDTHS:
            total += _SIGN_WIDTHS[char]
        else:
            total += _WIDE_WIDTH if unicodedata.east_asian_width(char) in ("W", "F") else _OTHER_WIDTH
    return total / 1000


def _log_line(row: dict[str, Any]) -> str:
    """A session's line in the printed log (plain text, on one line): date, routine, steps held of planned, leg
    pain before → after, marks, note."""
    parts = [row["routine_name"], f"{row['releases_done']} of {row['planned']} steps"]
    if row["status_label"]:
        parts[-1] += f" ({row['status_label'].lower()})"
    pain = f"leg pain {_score(row['pain_before'])} → {_score(row['pain_after'])}"
    if row["quick"]:
        pain = f"leg pain after the hold {_score(row['pain_now'])}"
    if row["has_back"]:
        pain += f", back {_score(row['back_pain_before'])} → {_score(row['back_pain_after'])}"
    parts.append(pain)
    if row["marks"]:
        parts.append(f"⚠ {row['marks']}")
    if row["notes"]:
        parts.append(f"“{cut(row['notes'], LOG_NOTE_CHARS)}”")
    return " ".join(f"{row['local_date']:%Y-%m-%d} {' · '.join(parts)}".split())  # a note's line breaks go


def log_lines_html(rows: list[dict[str, Any]]) -> SafeString:
    """The compact log for print, one line per session (_log_line), a thin rule between weeks.

    WeasyPrint's cost is mostly per paragraph and per line, so the sessions of a week whose lines surely fit the
    width are one paragraph of lines (white-space: pre-line): a year of them costs about 25% less than a paragraph
    each. A line that may wrap (a note, a long routine name) is a paragraph of its own, its second line indented
    under the date; a red-flag session too, shaded as on the share page. No element inside a paragraph (bold, a
    span): each inline box costs WeasyPrint about as much as the text around it, so the marks stand out with a
    sign rather than in bold."""
    out: list[str] = []
    lines: list[str] = []
    lines_start_week = False
    week = None
    starts_week = False

    def close_lines() -> None:
        if lines:
            rule = " log-week" if lines_start_week else ""
            out.append(f'<p class="log-lines{rule}">' + "\n".join(lines) + "</p>")
            lines.clear()

    for row in rows:
        this_week = row["local_date"].isocalendar()[:2]
        if this_week != week:
            close_lines()
            starts_week, week = week is not None, this_week
        line = _log_line(row)
        if row["red_flag_tier"] or _ems(line) > LOG_LINE_EMS:
            close_lines()
            kind = "log-row log-flag" if row["red_flag_tier"] else "log-row"
            out.append(f'<p class="{kind}{" log-week" if starts_week else ""}">{escape(line)}</p>')
        else:
            if not lines:
                lines_start_week = starts_week
            lines.append(escape(line))
        starts_week = False
    close_lines()
    return mark_safe("".join(out))  # noqa: S308 - every user value above is escaped


def _marks(row: dict[str, Any]) -> list[str]:
    marks = ["red flag"] if row["red_flag_tier"] else []
    for count, word in ((row["stopped_count"], "stopped early"), (row["hard_count"], f"pressure >{PRESSURE_CEILING}")):
        if count:
            marks.append(f"{word} ×{count}" if count > 1 else word)
    if row["pain_rose"]:
        marks.append("pain rose")
    return marks


def _daily_back_pain(sessions: SessionQuerySet) -> dict[date, float]:
    rows = (
        sessions.filter(back_pain_before__isnull=False)
        .order_by()
        .values("local_date")
        .annotate(m=Avg("back_pain_before"))
    )
    return {row["local_date"]: float(row["m"]) for row in rows}


def made_at(profile: Profile) -> str:
    """Now in the person's time zone, e.g. "2026-11-30 18:45 (Europe/London)". Formatted here: the `date` filter
    would turn it back into the server's time zone."""
    return f"{timezone.localtime(timezone.now(), profile.zone):%Y-%m-%d %H:%M} ({profile.time_zone})"


def report_context(
    user: User, date_range: DateRange, *, every_release: bool = False, for_screen: bool = False
) -> dict[str, Any]:
    """Everything the report shows for `user`'s journal in `date_range` (journal/report_body.html).
    `every_release` adds every release of the RELEASE_SESSIONS_LIMIT latest sessions after the compact log.
    `for_screen` (the share page) adds what only a screen shows: the log as a table (`log_html`; the PDF prints
    journal.exports.pdf's lines instead) and the chart's phone drawing."""
    today = user.profile.local_date()
    return {**_figures(user, date_range, today, every_release, for_screen), **_about(user, today)}


def cached_report_context(
    user: User, date_range: DateRange, *, every_release: bool = False, for_screen: bool = False
) -> dict[str, Any]:
    """report_context(), with its figures (all but the person's own details and the time it was made) kept in the
    "reports" cache for as long as the journal rows they come from stay the same.

    The key holds the user, the range and options, today's date and the time zone (the figures depend on both), and
    the state of the period's sessions and releases (`state()`: how many rows and the sum of their database-drawn
    `rev`). The state and the figures are read in one snapshot of the database (`_one_snapshot`), so the figures
    stored under a state are exactly those of the rows in that state: a save made while they are read can neither
    slip into them nor, once undone, bring them back. Where no such snapshot can be had, nothing is stored.
    Returns the same dict report_context() would."""
    profile = user.profile
    today = profile.local_date()
    start, end = date_range.start, date_range.end
    cache = caches[REPORT_CACHE]
    with _one_snapshot() as consistent:
        sessions = Session.objects.for_user(user).between(start, end).state()
        releases = Release.objects.for_user(user).between(start, end).state()
        key = (
            f"report:{user.pk}:{start}:{end}:{int(every_release)}:{int(for_screen)}:{today}:{profile.time_zone}"
            f":{sessions[0]}.{sessions[1]}:{releases[0]}.{releases[1]}"
        )
        figures = cache.get(key)
        if figures is None:
            figures = _figures(user, date_range, today, every_release, for_screen)
            if consistent:
                cache.set(key, figures)
    return {**figures, **_about(user, today)}


@contextmanager
def _one_snapshot() -> Iterator[bool]:
    """Runs the block's reads in one snapshot of the database when it can; yields whether they are.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite in WAL mode: a deferred transaction, which reads
    one snapshot from its first read and takes no write lock (Django's own transactions here are IMMEDIATE, which
    would hold writers back for as long as the report takes). Already inside a transaction: SQLite's holds the
    write lock and sees one snapshot; PostgreSQL's reads each statement afresh (READ COMMITTED) and its isolation
    can no longer be changed, so the block's reads are not consistent."""
    if connection.in_atomic_block:
        yield connection.vendor == "sqlite"
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield True
    else:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield True
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")


def _about(user: User, today: date) -> dict[str, Any]:
    """The person's own details and the time of making: read afresh for every report, never cached."""
    profile = user.profile
    return {
        "display_name": profile.report_name,
        "questions": profile.report_questions,
        "made_at": made_at(profile),
        "time_zone": profile.time_zone,
        # Which leg hurts, since when, assessed or not: only these answers of the private precaution profile.
        "leg_context": PrecautionProfile.for_user(user).report_context(today),
    }


def _figures(user: User, date_range: DateRange, today: date, every_release: bool, for_screen: bool) -> dict[str, Any]:
    """The report's figures from the journal's rows in `date_range`: see report_context()."""
    profile = user.profile
    sessions = Session.objects.for_user(user).between(date_range.start, date_range.end)
    totals = aggregates.period_summary(user, date_range.start, date_range.end)
    start = date_range.start or totals.first_day
    latest = max(today, totals.last_day) if totals.last_day else None
    # Days still to come are not counted: a share link "for March" opened on the 10th has 10 days, not 31.
    end = min(date_range.end, latest or today) if date_range.end else latest
    if start and end and end < start:
        # A range wholly after today: the period is the one asked for (nothing in it yet), never one ending before
        # it starts.
        end = date_range.end or start
    period_days = (end - start).days + 1 if start and end and end >= start else 0

    # Strict: a report of a date range (a share link's above all) shows nothing from outside it.
    trend = series.pain_trend(user, date_range.start, date_range.end, today=today, strict=True)
    # The trend's days cover [start, end]: an open bound there is the first session or today here.
    adherence = (
        aggregates.adherence(user, start, end, today=today, daily=trend.days, with_streaks=False) if start else None
    )
    adherence_percent = round(100 * adherence.active_days / period_days) if adherence and period_days else None
    # Closed at `end` (no session is later): SQLite's planner takes an open-ended date range for most of the table
    # and reads every release instead of the period's.
    point_rows = aggregates.point_side_stats(user, date_range.start, end if date_range.start else date_range.end)
    tender_points = sorted(
        (row for row in point_rows if row.tender_yes),
        key=lambda row: (-row.tender_yes, row.point_name.lower(), row.side),
    )[:TENDER_ROWS]

    # Ordered by local date first, so that only the period's rows are read (ordered by start time alone, the
    # newest-first index is walked back through the whole history when the period has fewer rows than the limit).
    flag_rows = list(
        sessions.red_flagged()
        .order_by("local_date", "started_at")
        .values("pk", "local_date", "red_flag_tier", "red_flag_items", "red_flag_assessed_at")
    )
    red_flags = [
        {
            "pk": row["pk"],
            "local_date": row["local_date"],
            "tier": redflags.TIER_FOR_CLINICIAN.get(row["red_flag_tier"], "") if row["red_flag_tier"] else "",
            "items": redflags.as_text(row["red_flag_items"], for_clinician=True),
            # A date, in the person's zone: the time of the answer means nothing to the reader.
            "assessed_on": row["red_flag_assessed_at"]
            and timezone.localtime(row["red_flag_assessed_at"], profile.zone).date(),
        }
        for row in flag_rows
    ]
    flag_groups = _red_flag_groups(red_flags)
    # How often each sign was reported in the period, in the order of the check: bounded by the list of signs, so
    # the summary stays on one page however many reports there are.
    counts = Counter(item for row in flag_rows for item in row["red_flag_items"])
    words = redflags.labels(counts, for_clinician=True)
    red_flag_items = [(label, counts[code]) for code, label in zip(redflags.ordered(counts), words, strict=True)]
    log = _log_rows(user, sessions)
    logged = len(log)
    listed = {row["pk"] for row in log}
    release_detail = []
    if every_release:
        releases_in_order = Prefetch("releases", queryset=Release.objects.order_by("position"))
        release_detail = list(
            sessions.order_by("-local_date", "-started_at", "-pk").prefetch_related(releases_in_order)[
                :RELEASE_SESSIONS_LIMIT
            ]
        )
        for session in release_detail:
            setattr(session, "report_signs", redflags.as_text(session.red_flag_items, for_clinician=True))  # noqa: B010 - read by the template
    leg_before = {d.date: d.before for d in trend.days if d.before is not None}
    leg_after = {d.date: d.after for d in trend.days if d.after is not None}
    chart = report_pain_chart(
        leg_before, leg_after, _daily_back_pain(sessions), period_days, period_end=end, with_narrow=for_screen
    )
    adverse = adverse_responses(user, date_range.start, date_range.end)
    return {
        "range": date_range,
        "period_start": start,
        "period_end": end,
        "period_days": period_days,
        "totals": totals,
        "adherence": adherence,
        "adherence_percent": adherence_percent,
        "tender_points": tender_points,
        "red_flags": red_flags,
        "red_flag_groups": flag_groups[:RED_FLAG_GROUPS_SHOWN],
        "red_flag_groups_more": sum(len(group.dates) + group.more for group in flag_groups[RED_FLAG_GROUPS_SHOWN:]),
        "red_flag_items": red_flag_items,
        "adverse": adverse,
        "adverse_any": any(kind.count for kind in adverse),
        "log": log,
        "log_html": log_html(log) if for_screen else "",
        "log_hidden": max(totals.sessions - logged, 0),
        "log_note_chars": LOG_NOTE_CHARS,
        # Red-flag sessions too old for the compact log are still listed, each with what was reported.
        "earlier_red_flags": [row for row in red_flags if row["pk"] not in listed],
        "every_release": every_release,
        "release_detail": release_detail,
        "release_sessions_limit": RELEASE_SESSIONS_LIMIT,
        "release_note_chars": RELEASE_NOTE_CHARS,
        "change": trend.change,
        "chart": chart,
    }
