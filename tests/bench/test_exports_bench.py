"""Exports: the CSV of 100,000 releases against a raw-cursor + csv.writer baseline reading the same rows (goal: at
most 3x), with its peak memory growth (tracemalloc, goal: under 50 MB); and a one-year PDF report against rendering
the same report as HTML (reported)."""

import csv
import io
import statistics
import time
import tracemalloc
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from journal.exports.csv_export import export_queryset
from journal.exports.pdf import render_report_pdf
from journal.exports.report import report_context
from journal.exports.responses import csv_response
from journal.lib.daterange import DateRange
from journal.models import Release, Session, SessionStatus
from routines.models import Point
from tests.bench.harness import Report
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RELEASES = 100_000
PER_SESSION = 10
CSV_GOAL = 3.0
MEMORY_GOAL_MB = 50
RUNS = 3


def bulk_releases(user, releases: int = RELEASES, per_session: int = PER_SESSION) -> None:
    """`releases` releases, `per_session` to a completed session, one session a day going back in time."""
    points = list(Point.objects.builtin().order_by("order")[:per_session])
    plan = [
        {"point_id": p.pk, "point_slug": p.slug, "point_name": p.name, "side": "left", "hold_seconds": 45}
        for p in points
    ]
    plan = (plan * per_session)[:per_session]
    now = timezone.now().replace(microsecond=0)
    sessions = [
        Session(
            user=user,
            routine_name="Bench routine",
            plan=plan,
            started_at=now - timedelta(days=day),
            last_activity_at=now - timedelta(days=day) + timedelta(minutes=15),
            finished_at=now - timedelta(days=day) + timedelta(minutes=15),
            local_date=(now - timedelta(days=day)).date(),
            status=SessionStatus.COMPLETED,
            pain_before=5,
            pain_after=day % 6,
            safety_check="no",
            notes="=SUM(A1)" if day % 97 == 0 else "",
        )
        for day in range(releases // per_session)
    ]
    Session.objects.bulk_create(sessions, batch_size=1000)
    rows = []
    for session in (
        Session.objects.filter(user=user).only("pk", "user_id", "started_at", "local_date").iterator(chunk_size=2000)
    ):
        for position, step in enumerate(plan, start=1):
            start = session.started_at + timedelta(minutes=position)
            rows.append(
                Release(
                    session=session, position=position, point_id=step["point_id"],
                    point_name=step["point_name"], side="left", prescribed_seconds=45, held_seconds=40 + position,
                    started_at=start, ended_at=start + timedelta(seconds=45), tender=position % 2 == 0,
                    pressure=position % 11, pain_now=(position * 3) % 11, notes="Tight today" if position == 3 else "",
                )
            )  # fmt: skip
        if len(rows) >= 20_000:
            Release.objects.bulk_create(rows, batch_size=2000)
            rows = []
    Release.objects.bulk_create(rows, batch_size=2000)


def export_csv(user) -> int:
    """The app's export as served: the streaming response consumed to the end. Returns the bytes written."""
    response = csv_response(user, DateRange())
    return sum(len(chunk) for chunk in response.streaming_content)


def baseline_csv(user) -> int:
    """The same rows (the export's own SQL) through a raw cursor, written by csv.writer to a sink."""
    sql, params = export_queryset(user, DateRange()).query.sql_with_params()
    sink = io.StringIO()
    writer = csv.writer(sink)
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            writer.writerows(rows)
            written += len(sink.getvalue().encode())
            sink.seek(0)
            sink.truncate()
    return written


def median_seconds(fn, *args) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn(*args)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def test_csv_export_of_100000_releases():
    user = make_user("csvbench")
    bulk_releases(user)
    assert Release.objects.for_user(user).count() == RELEASES
    export_csv(user), baseline_csv(user)  # warm up both (the database's page cache, imports)
    ours = median_seconds(export_csv, user)
    base = median_seconds(baseline_csv, user)
    ratio = ours / base

    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    written = export_csv(user)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    growth_mb = (peak - before) / (1024 * 1024)

    report = Report(
        "export_csv",
        f"CSV export of {RELEASES:,} releases (goal {CSV_GOAL}x the raw-cursor baseline, memory < {MEMORY_GOAL_MB} MB)",
        ["what", "seconds", "ratio", "goal", "ok"],
    )
    report.add(what="raw cursor + csv.writer", seconds=base, ratio=1.0)
    report.add(what="Tenderspot export (streamed)", seconds=ours, ratio=ratio, goal=CSV_GOAL, ok=ratio <= CSV_GOAL)
    report.extra = {"peak_memory_growth_mb": growth_mb, "bytes": written, "runs": RUNS}
    report.save()
    assert ratio <= CSV_GOAL, f"CSV export {ratio:.2f}x the baseline"
    assert growth_mb < MEMORY_GOAL_MB, f"peak memory growth {growth_mb:.1f} MB"


def test_one_year_pdf_report_against_html(histories):
    user = histories[3650]["user"]
    today = user.profile.local_date(timezone.now())
    one_year = DateRange(today - timedelta(days=365), today)

    def as_pdf() -> int:
        return len(render_report_pdf(report_context(user, one_year), "a4"))

    def as_html() -> int:
        return len(render_to_string("journal/report_pdf.html", report_context(user, one_year)))

    size = as_pdf()
    as_html()
    pdf = median_seconds(as_pdf)
    html = median_seconds(as_html)
    report = Report("pdf_report", "One-year PDF report against the same report as HTML", ["what", "seconds", "ratio"])
    report.add(what="HTML (same template and data)", seconds=html, ratio=1.0)
    report.add(what="PDF (WeasyPrint)", seconds=pdf, ratio=pdf / html)
    report.extra = {"pdf_bytes": size, "history": histories[3650]["how"], "runs": RUNS}
    report.save()
    assert size > 1000
