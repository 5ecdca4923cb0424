"""Measures what one heavy PDF report costs a gunicorn worker, and how /robots.txt answers while eight anonymous
report.pdf requests run. Run from a checkout (its own var/ SQLite database is used):

    .venv/bin/python tests/bench/pdf_bound.py [PORT]

Prints JSON: the worker's own CPU seconds and its children's (the PDF child) for one report, the worker's peak
memory, the status codes of the eight parallel requests, and /robots.txt latency (median, max) before and during.
Only 127.0.0.1; at most 8 clients.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path.cwd()
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-that-is-long-enough-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_LOG_LEVEL": "ERROR",
}
SETUP = """
import django; django.setup()
from datetime import timedelta
from django.utils import timezone
from django.contrib.auth import get_user_model
from journal.models import Session, Release, ShareLink, SessionStatus, SafetyAnswer
from journal.tokens import hash_token
from routines.catalogue import ensure_builtin_catalogue
from routines.models import Point
ensure_builtin_catalogue()
User = get_user_model()
User.objects.filter(username__startswith="bench").delete()
points = list(Point.objects.filter(owner=None)[:14])
tokens = []
for n in range(8):
    user = User.objects.create_user(f"bench{n}", password="bench-passphrase-123")
    now = timezone.now() - timedelta(hours=2)
    session = Session.objects.create(user=user, routine_name="Bench", plan=[], started_at=now, last_activity_at=now,
        local_date=user.profile.local_date(now), status=SessionStatus.COMPLETED, safety_check=SafetyAnswer.NO,
        pain_before=6, pain_after=4, finished_at=now + timedelta(minutes=30))
    for position in range(1, 15):
        point = points[(position - 1) % len(points)]
        Release.objects.create(session=session, position=position, point_id=point.pk, point_name=point.name,
            side="left", prescribed_seconds=45, held_seconds=45, started_at=now + timedelta(minutes=position),
            ended_at=now + timedelta(minutes=position, seconds=45), tender=True, pressure=5, pain_now=4,
            notes=("Tender along the band, eased after a while. " * 30)[:1000])
    token = f"bench-token-{n}-" + "x" * 30
    ShareLink.objects.create(user=user, label="Bench", token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=1))
    tokens.append(token)
print(" ".join(tokens))
"""


def get(path: str, timeout: float = 180) -> tuple[int, float]:
    started = time.perf_counter()
    request = urllib.request.Request(BASE + path, headers={"User-Agent": "Mozilla/5.0 bench"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except Exception:
        status = 0
    return status, time.perf_counter() - started


def proc_cpu(pid: int) -> tuple[float, float]:
    """(own CPU seconds, waited-for children's CPU seconds) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in out.split()]


def robots_during(seconds: float, samples: list[float], stop: threading.Event) -> None:
    while not stop.is_set():
        status, elapsed = get("/robots.txt", timeout=300)
        samples.append(elapsed if status == 200 else float("inf"))
        time.sleep(0.2)


def main() -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=ENV, check=True)
    tokens = subprocess.run([python, "-c", SETUP], env=ENV, check=True, capture_output=True, text=True).stdout.split()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--threads",
            "4",
            "--timeout",
            "300",
            "--log-level",
            "error",
        ],
        env=ENV,
    )
    try:
        for _ in range(100):
            if get("/robots.txt", timeout=2)[0] == 200:
                break
            time.sleep(0.2)
        pids = workers(server.pid)
        # One heavy report: which worker served it shows as the one whose CPU moved.
        before = {pid: proc_cpu(pid) for pid in pids}
        status, elapsed = get(f"/journal/s/{tokens[0]}/report.pdf")
        after = {pid: proc_cpu(pid) for pid in pids}
        served = max(pids, key=lambda pid: sum(after[pid]) - sum(before[pid]))
        single = {
            "status": status,
            "wall_seconds": round(elapsed, 2),
            "worker_cpu_seconds": round(after[served][0] - before[served][0], 2),
            "child_cpu_seconds": round(after[served][1] - before[served][1], 2),
            "worker_peak_rss_mb": round(peak_rss_mb(served), 1),
        }
        idle = [get("/robots.txt")[1] for _ in range(10)]
        results: dict[str, object] = {
            "single_heavy_report": single,
            "robots_idle_ms": round(1000 * statistics.median(idle), 1),
        }
        for label, paths in (
            ("one_link_x8", [f"/journal/s/{tokens[0]}/report.pdf"] * 8),
            ("eight_links", [f"/journal/s/{token}/report.pdf" for token in tokens]),
        ):
            samples: list[float] = []
            stop = threading.Event()
            watcher = threading.Thread(target=robots_during, args=(0, samples, stop))
            statuses: list[int] = []
            started = time.perf_counter()
            clients = [threading.Thread(target=lambda p=p, out=statuses: out.append(get(p)[0])) for p in paths]
            watcher.start()
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            stop.set()
            watcher.join()
            results[label] = {
                "statuses": sorted(statuses),
                "all_done_seconds": round(time.perf_counter() - started, 1),
                "robots_median_ms": round(1000 * statistics.median(samples), 1) if samples else None,
                "robots_max_ms": round(1000 * max(samples), 1) if samples else None,
                "robots_samples": len(samples),
            }
        results["worker_peak_rss_mb_after_all"] = {pid: round(peak_rss_mb(pid), 1) for pid in workers(server.pid)}
        print(json.dumps(results, indent=2))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
