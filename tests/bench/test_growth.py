"""Growth: each page at 365 and at 3,650 days of history. Query counts must be equal; the time may grow by at most
1.3x for pages whose content does not grow with history. Every page for both users is timed in one round-robin
run, so that the machine's noise falls on both alike."""

import pytest

from tests.bench.conftest import RUNS, client_for
from tests.bench.harness import Report, time_requests
from tests.bench.pages import BASELINE, GROWTH_GOAL, PAGES

pytestmark = pytest.mark.django_db


def test_growth(histories):
    small, large = histories[365]["user"], histories[3650]["user"]
    small_client, large_client = client_for(small), client_for(large)
    report = Report(
        "growth",
        f"Growth from 365 to 3,650 days (time goal {GROWTH_GOAL}x where content does not grow)",
        ["page", "queries_365", "queries_3650", "ms_365", "ms_3650", "ratio", "goal", "ok"],
    )
    problems = []
    entries = {}
    for page in [BASELINE, *PAGES]:
        entries[(page.name, 365)] = (small_client, page.path_for(small))
        entries[(page.name, 3650)] = (large_client, page.path_for(large))
    timings = time_requests(entries, runs=RUNS)
    for page in [BASELINE, *PAGES]:
        t365, t3650 = timings[(page.name, 365)], timings[(page.name, 3650)]
        ratio = t3650.median_ms / t365.median_ms
        goal = None if page.grows_with_history else GROWTH_GOAL
        ok = t365.queries == t3650.queries and (goal is None or ratio <= goal)
        report.add(page=page.name, queries_365=t365.queries, queries_3650=t3650.queries, ms_365=t365.median_ms,
                   ms_3650=t3650.median_ms, ratio=ratio, goal=goal, ok=ok)  # fmt: skip
        if t365.queries != t3650.queries:
            problems.append(f"{page.name}: {t365.queries} queries at 365 days, {t3650.queries} at 3,650")
        if goal is not None and ratio > goal:
            problems.append(f"{page.name}: {ratio:.2f}x slower at 3,650 days (goal {goal}x)")
    report.extra = {"history_365": histories[365]["how"], "history_3650": histories[3650]["how"]}
    report.save()
    assert not problems, "Growth goals missed: " + "; ".join(problems)
