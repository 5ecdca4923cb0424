"""Writes under concurrency: gunicorn (2 workers x 4 threads, production settings) on a temporary SQLite file,
16 concurrent clients on 127.0.0.1 writing for a bounded time (BENCH_SECONDS, default 10) and a bounded number of
requests. Goals: 0 errors, and every accepted write stored exactly once (checked in the database afterwards);
p50 and p99 reported.

The write is a `WriteScenario`. `ReleaseLog` logs releases through the runner's real endpoint (journal:release_log,
a plain form POST answered with a redirect): each client runs its own long session step by step, and every fourth
request replays the step just logged (a double tap, a retry after a lost answer), which must not store a second row.
Afterwards each session must hold exactly one row per accepted step, with the answers first sent.

`accepted[i]` lists the (n, form data) of client i's writes that the server accepted, in order.
"""

import http.client
import os
import re
import sqlite3
import statistics
import threading
import time
import urllib.parse

from tests.audit.server import AppServer, session_cookie
from tests.bench.harness import Report

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
MAX_REQUESTS_PER_CLIENT = 2_000
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class WriteScenario:
    name = ""
    form_path = ""  # a GET that renders the form: it gives the client its CSRF token
    success_status = 302

    def prepare(self, user) -> dict:
        return {}

    def form_path_for(self, context: dict) -> str:
        return self.form_path

    def request(self, context: dict, n: int) -> tuple[str, dict] | None:
        raise NotImplementedError

    def verify(self, db: sqlite3.Connection, contexts: list[dict], accepted: list[list[tuple[int, dict]]]) -> None:
        raise NotImplementedError


def replaying_position(n: int) -> int:
    """The step the n-th request logs: 1, 2, 3, 3 (a replay), 4, 5, 6, 6, ..."""
    return 3 * (n // 4) + min(n % 4, 2) + 1


class ReleaseLog(WriteScenario):
    name = "release log"
    steps = 600  # more than one client can log in the time allowed: it never runs out

    def prepare(self, user) -> dict:
        from journal.models import SafetyAnswer
        from routines.models import Point
        from tests.factories import make_session

        points = list(Point.objects.builtin().order_by("order"))
        plan = [
            {"point_id": p.pk, "point_slug": p.slug, "point_name": p.name, "side": "left", "hold_seconds": 30}
            for p in (points * (self.steps // len(points) + 1))[: self.steps]
        ]
        session = make_session(user, plan=plan, safety_check=SafetyAnswer.NO)
        return {"session": session.pk, "steps": self.steps}

    def form_path_for(self, context: dict) -> str:
        return f"/journal/sessions/{context['session']}/run/"

    def request(self, context: dict, n: int) -> tuple[str, dict] | None:
        position = replaying_position(n)
        if position > context["steps"]:
            return None
        data = {"position": str(position), "tender": "yes", "pressure": str(position % 8), "pain_now": "4",
                "held_seconds": "30", "notes": f"client note {n}"}  # fmt: skip
        return f"/journal/sessions/{context['session']}/log/", data

    def verify(self, db, contexts, accepted) -> None:
        for context, writes in zip(contexts, accepted, strict=True):
            stored = db.execute(
                "select position, count(*), min(pressure), min(notes) from journal_release where session_id = ? "
                "group by position",
                [context["session"]],
            ).fetchall()
            assert all(count == 1 for _, count, _, _ in stored), f"session {context['session']}: duplicate rows"
            first_sent: dict[int, dict] = {}
            for _n, data in writes:
                first_sent.setdefault(int(data["position"]), data)
            assert {p for p, *_ in stored} == set(first_sent), f"session {context['session']}: stored != accepted"
            for position, _, pressure, notes in stored:  # the first answer is kept; a replay changes nothing
                assert (pressure, notes) == (int(first_sent[position]["pressure"]), first_sent[position]["notes"])


SCENARIOS: list[WriteScenario] = [ReleaseLog()]


# In the server's process ----------------------------------------------------------------------------------------


def prepare_writers(scenario_index: int, count: int) -> list[dict]:
    """One signed-in user per client (safety notice acknowledged) and the scenario's data for each."""
    from tests.factories import ensure_catalogue, make_user

    ensure_catalogue()
    scenario = SCENARIOS[scenario_index]
    writers = []
    for i in range(count):
        user = make_user(f"writer{i}")
        user.profile.acknowledge_safety()
        writers.append({"cookie": session_cookie(user), "context": scenario.prepare(user)})
    return writers


# The client -----------------------------------------------------------------------------------------------------


class Writer(threading.Thread):
    def __init__(self, port: int, scenario: WriteScenario, writer: dict, deadline: float) -> None:
        super().__init__(daemon=True)
        self.port, self.scenario, self.writer, self.deadline = port, scenario, writer, deadline
        self.latencies_ms: list[float] = []
        self.accepted: list[tuple[int, dict]] = []
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            self.loop()
        except Exception as exc:  # every failure is counted, none is swallowed
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def loop(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = f"{self.writer['cookie']['name']}={self.writer['cookie']['value']}"
        form_path = self.scenario.form_path_for(self.writer["context"])
        conn.request("GET", form_path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = TOKEN.search(body)
        assert response.status == 200 and token and csrf_cookie, f"no form at {form_path}"
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf_cookie.group(1)}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= self.deadline:
                break
            planned = self.scenario.request(self.writer["context"], n)
            if planned is None:
                break
            path, data = planned
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)})
            start = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            self.latencies_ms.append((time.perf_counter() - start) * 1000)
            if response.status == self.scenario.success_status:
                self.accepted.append((n, data))
            else:
                self.errors.append(f"POST {path}: {response.status}")
        conn.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def test_writes_under_concurrency():
    for index, scenario in enumerate(SCENARIOS):
        with AppServer(workers=2, threads=4) as server:
            writers = server.call("tests.bench.test_concurrency:prepare_writers", index, CLIENTS)
            server.start()
            deadline = time.monotonic() + SECONDS
            threads = [Writer(server.port, scenario, writer, deadline) for writer in writers]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=SECONDS + 60)
            elapsed = time.perf_counter() - started
            assert not any(t.is_alive() for t in threads), "a client did not finish"
            server.stop()
            latencies = [ms for t in threads for ms in t.latencies_ms]
            errors = [e for t in threads for e in t.errors]
            with sqlite3.connect(server.db_path) as db:
                scenario.verify(db, [w["context"] for w in writers], [t.accepted for t in threads])
                stored = db.execute("select count(*) from journal_release").fetchone()[0]
            accepted = sum(len(t.accepted) for t in threads)
        report = Report(
            f"concurrency_{scenario.name.replace(' ', '_')}",
            f"Writes under concurrency: {scenario.name}, gunicorn 2x4 on SQLite, {CLIENTS} clients, {SECONDS:.0f} s",
            ["requests", "accepted", "errors", "p50_ms", "p99_ms", "max_ms", "per_second"],
        )
        report.add(requests=len(latencies), accepted=accepted, errors=len(errors),
                   p50_ms=statistics.median(latencies), p99_ms=percentile(latencies, 0.99), max_ms=max(latencies),
                   per_second=len(latencies) / elapsed)  # fmt: skip
        report.extra = {
            "stored_check": "every accepted write stored exactly once, as first sent (replays add nothing)",
            "stored_rows": stored,
        }
        if errors:
            report.extra["first_errors"] = errors[:5]
        report.save()
        assert errors == [], f"{len(errors)} errors, e.g. {errors[:5]}"
        assert accepted > CLIENTS, "too few writes to mean anything"
