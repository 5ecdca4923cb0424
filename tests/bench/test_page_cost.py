"""Page cost: the median server time of each page with 3,650 days of history, as a ratio to the catalogue page
(the plainest page on the same base template) measured in the same run."""

import pytest

from tests.bench.conftest import RUNS, client_for
from tests.bench.harness import Report, time_pages
from tests.bench.pages import BASELINE, PAGES

pytestmark = pytest.mark.django_db


def test_page_cost(histories):
    user = histories[3650]["user"]
    client = client_for(user)
    urls = {BASELINE.name: BASELINE.path_for(user)} | {page.name: page.path_for(user) for page in PAGES}
    timings = time_pages(client, urls, runs=RUNS)
    base = timings[BASELINE.name].median_ms
    report = Report(
        "page_cost",
        "Page cost at 3,650 days (ratio to the catalogue)",
        ["page", "median_ms", "queries", "ratio", "goal", "ok"],
    )
    missed = []
    for page in [BASELINE, *PAGES]:
        timing = timings[page.name]
        ratio = timing.median_ms / base
        ok = page.goal is None or ratio <= page.goal
        report.add(page=page.name, url=timing.url, median_ms=timing.median_ms, queries=timing.queries,
                   ratio=ratio, goal=page.goal, ok=ok)  # fmt: skip
        if not ok:
            missed.append(f"{page.name}: {ratio:.2f}x > {page.goal}x")
    report.extra = {
        "history": histories[3650]["how"],
        "seed_seconds_3650": histories[3650]["seed_seconds"],
        "runs": RUNS,
    }
    report.save()
    assert not missed, "Page-cost goals missed: " + "; ".join(missed)
