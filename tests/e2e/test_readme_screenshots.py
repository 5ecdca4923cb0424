"""The README's phone screenshots, taken at 390 x 844 (light) from the pages the audits visit (tests/audit/pages.py):
the dashboard with a month of history (and once at desktop width), the trends page, the catalogue's body map, the
safety check before a session, the runner's hold view and the log form.

Run on purpose (it writes into docs/screenshots/), then look at them and commit:

    TENDERSPOT_SCREENSHOTS=1 .venv/bin/python -m pytest -q tests/e2e/test_readme_screenshots.py
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.audit.browser import open_audited
from tests.audit.pages import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = {
    "dashboard with data": "dashboard-phone.png",
    "trends": "trends-phone.png",
    "catalogue": "catalogue-phone.png",
    "runner: safety check": "runner-check-phone.png",
    "runner: mid-hold": "runner-hold-phone.png",
    "runner: log form": "runner-log-phone.png",
}
# The README's one desktop picture: (page, file, viewport).
DESKTOP = ("dashboard with data", "dashboard-desktop.png", {"width": 1280, "height": 800})


@pytest.mark.skipif(not os.environ.get("TENDERSPOT_SCREENSHOTS"), reason="set TENDERSPOT_SCREENSHOTS=1 to retake")
def test_readme_phone_screenshots(page, owner):
    folder = Path(settings.BASE_DIR) / "docs" / "screenshots"
    page.emulate_media(color_scheme="light")
    by_name = {audit_page.name: audit_page for audit_page in PAGES}
    # In this order: the history is made before the runner's sessions (it is made only for an empty journal).
    for name, file_name in SHOTS.items():
        page.set_viewport_size({"width": 390, "height": 844})
        open_audited(page, by_name[name], "owner", owner)
        if name == "trends":  # the first chart, rather than the period form above it
            chart = page.locator("#pain-chart-figure")
            chart.evaluate("(f) => f.scrollIntoView({block: 'center', behavior: 'instant'})")
        page.screenshot(path=folder / file_name)
    name, file_name, viewport = DESKTOP
    page.set_viewport_size(viewport)
    open_audited(page, by_name[name], "owner", owner)
    page.screenshot(path=folder / file_name)
    assert all((folder / name).stat().st_size > 10_000 for name in [*SHOTS.values(), file_name])
