"""JSON backup of ten years (`seed_demo --days 3650`): the export fits the default import limit, and its import
(goal: under IMPORT_GOAL x a bulk insert of the same rows, peak memory under MEMORY_GOAL_MB, other users' writes
during it under WAIT_GOAL_SECONDS each, none failing). Figures go to var/bench-results.json as ratios."""

import json
import statistics
import threading
import time
import tracemalloc

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from journal.backup.export import export_stream
from journal.backup.importer import import_account
from journal.models import Release, Session
from routines.catalogue import ensure_builtin_catalogue
from tests.bench.harness import Report

pytestmark = pytest.mark.django_db(transaction=True)

IMPORT_GOAL = 2.0
MEMORY_GOAL_MB = 100
WAIT_GOAL_SECONDS = 1.5


def fresh_user(name: str):
    get_user_model().objects.filter(username=name).delete()
    return get_user_model().objects.create_user(name, password="bench-pass-123")


def bulk_insert(user, data: dict) -> None:
    """The baseline: the file's sessions and releases, already parsed, written with bulk_create in one
    transaction (no checks, no references resolved)."""
    fields = ("routine_name", "plan", "started_at", "local_date", "finished_at", "last_activity_at", "status")
    answers = (
        "pain_before",
        "pain_after",
        "back_pain_before",
        "back_pain_after",
        "safety_check",
        "red_flag_items",
        "red_flag_tier",
        "red_flag_assessed_at",
        "notes",
    )
    with transaction.atomic():
        created = Session.objects.bulk_create(
            (Session(user=user, **{k: s[k] for k in fields + answers}) for s in data["sessions"]), batch_size=500
        )
        Release.objects.bulk_create(
            (
                Release(session=session, **{k: v for k, v in r.items() if k != "point"})
                for session, s in zip(created, data["sessions"], strict=True)
                for r in s["releases"]
            ),
            batch_size=1000,
        )


def seconds(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def write_for(user) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        now = timezone.now()
        Session.objects.create(user=user, routine_name="Other", started_at=now, last_activity_at=now, local_date=now)
    return time.perf_counter() - started


def writes_during(payload: bytes) -> list[float]:
    """Another user's write every 20 ms while an import of `payload` runs in a thread; their durations."""
    other, importer = fresh_user("bench-other"), fresh_user("bench-importer")
    done, errors = threading.Event(), []

    def run() -> None:
        try:
            import_account(importer, payload)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    waits = []
    while not done.is_set():
        waits.append(write_for(other))
        time.sleep(0.02)
    thread.join()
    assert not errors, errors
    return waits


def test_ten_year_backup_restores_fast_in_bounded_memory_without_blocking_others():
    ensure_builtin_catalogue()
    call_command("seed_demo", username="bench-demo", password="bench-pass-123", days=3650, seed=1)
    demo = get_user_model().objects.get(username="bench-demo")
    payload = b"".join(export_stream(demo))
    data = json.loads(payload)
    rows = len(data["sessions"]) + sum(len(s["releases"]) for s in data["sessions"])
    assert len(payload) <= settings.TENDERSPOT_IMPORT_MAX_BYTES, "a backup this server makes must restore here"

    base = min(seconds(bulk_insert, fresh_user("bench-bulk"), data) for _ in range(2))
    ours = min(seconds(import_account, fresh_user("bench-import"), payload) for _ in range(2))
    assert Session.objects.filter(user__username="bench-import").count() == len(data["sessions"])

    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        import_account(fresh_user("bench-memory"), payload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    memory_mb = (peak - before) / (1024 * 1024)

    other = fresh_user("bench-idle")
    idle = [write_for(other) for _ in range(50)]
    during = writes_during(payload)

    report = Report(
        "import_json",
        f"JSON import of a 10-year seed_demo backup ({len(data['sessions']):,} sessions, {rows:,} rows, "
        f"{len(payload) / 2**20:.1f} MiB compact)",
        ["what", "value", "ratio", "goal", "ok"],
    )
    ratio = ours / base
    report.add(what="bulk insert of the same rows (s)", value=base, ratio=1.0)
    report.add(what="import (s)", value=ours, ratio=ratio, goal=f"< {IMPORT_GOAL}x", ok=ratio < IMPORT_GOAL)
    report.add(what="import peak memory (MB)", value=memory_mb, goal=f"< {MEMORY_GOAL_MB}", ok=memory_mb < 100)
    report.add(what="another user's write, idle: median (ms)", value=statistics.median(idle) * 1000, ratio=1.0)
    wait_ratio = max(during) / statistics.median(idle)
    report.add(
        what="another user's write during the import: max (s)",
        value=max(during),
        ratio=wait_ratio,
        goal=f"< {WAIT_GOAL_SECONDS} s",
        ok=max(during) < WAIT_GOAL_SECONDS,
    )
    report.add(what="... median during the import (ms)", value=statistics.median(during) * 1000)
    report.extra["export_bytes"] = len(payload)
    report.extra["import_limit_bytes"] = settings.TENDERSPOT_IMPORT_MAX_BYTES
    report.save()
    assert ratio < IMPORT_GOAL
    assert memory_mb < MEMORY_GOAL_MB
    assert max(during) < WAIT_GOAL_SECONDS
