"""A small benchmark harness: times Django views in-process and reports ratios against a baseline page taken in
the same run (these machines are noisy: absolute times mean little, ratios measured side by side do).

- `time_requests({name: (client, url)}, runs)` requests every entry round-robin (so drift hits all alike) and
  returns each one's median time and its query count; `time_pages(client, {name: url})` is the one-client form.
- `Report` prints a table and merges its figures into var/bench-results.json under the benchmark's name.

The time is the server's: the test client calls the WSGI handler directly (middleware, view, template), with no
network and no browser.
"""

import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "var" / "bench-results.json"


@dataclass
class Timing:
    name: str
    url: str
    median_ms: float
    queries: int
    runs: int
    samples_ms: list[float] = field(repr=False, default_factory=list)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured.captured_queries)


def time_requests(entries: dict[str, tuple[Client, str]], runs: int = 30, warmup: int = 3) -> dict[str, Timing]:
    """Median server time of each entry (name -> (client, url)). All entries are requested round-robin, one
    request each per round, so that the machine's noise falls on every entry alike; `warmup` rounds are not
    measured."""
    samples: dict[str, list[float]] = {name: [] for name in entries}
    for round_number in range(warmup + runs):
        for name, (client, url) in entries.items():
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, f"{name} {url}: {response.status_code}"
            if round_number >= warmup:
                samples[name].append(elapsed)
    return {
        name: Timing(name, url, statistics.median(samples[name]), count_queries(client, url), runs, samples[name])
        for name, (client, url) in entries.items()
    }


def time_pages(client: Client, pages: dict[str, str], runs: int = 30, warmup: int = 3) -> dict[str, Timing]:
    """`time_requests` for several pages seen by one client (name -> url)."""
    return time_requests({name: (client, url) for name, url in pages.items()}, runs, warmup)


class Report:
    """One benchmark's figures: rows for a printed table, and the same rows in var/bench-results.json."""

    def __init__(self, benchmark: str, title: str, columns: list[str]) -> None:
        self.benchmark = benchmark
        self.title = title
        self.columns = columns
        self.rows: list[dict] = []
        self.extra: dict = {}

    def add(self, **row) -> None:
        self.rows.append(row)

    def table(self) -> str:
        def cell(value) -> str:
            if isinstance(value, float):
                return f"{value:.2f}"
            return "-" if value is None else str(value)

        cells = [[cell(row.get(c)) for c in self.columns] for row in self.rows]
        widths = [max(len(c), *(len(r[i]) for r in cells)) if cells else len(c) for i, c in enumerate(self.columns)]
        lines = [f"\n== {self.title} ==", "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
        lines += [f"{k}: {cell(v)}" for k, v in self.extra.items()]
        return "\n".join(lines)

    def save(self) -> None:
        print(self.table())
        RESULTS.parent.mkdir(exist_ok=True)
        try:
            data = json.loads(RESULTS.read_text())
        except (OSError, ValueError):
            data = {}
        data.setdefault("benchmarks", {})[self.benchmark] = {
            "title": self.title,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "rows": self.rows,
            **self.extra,
        }
        RESULTS.write_text(json.dumps(data, indent=2, default=str))


def as_dict(timing: Timing) -> dict:
    data = asdict(timing)
    data.pop("samples_ms")
    return data
