"""The shared page, opened signed out on a 390 px phone: the pain chart's text is readable (the phone drawing, as on
the trends page), the caption counts in words that agree with the number, the report's title comes first, and the
downloads use the app's buttons; with the phone set to dark, the page is dark and its text keeps its contrast."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import ShareLink
from journal.tokens import new_token
from tests.e2e.test_chart_text_phone import CHART_TEXT, MIN_TEXT_PX
from tests.e2e.test_runner_stopped_early import review_shot
from tests.factories import on_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_share(page, owner) -> None:
    on_day(owner, 1, pain_before=6, pain_after=4)
    token, token_hash = new_token()
    expires = timezone.now() + timedelta(days=7)
    ShareLink.objects.create(user=owner, label="Physio", token_hash=token_hash, expires_at=expires)
    page.goto(f"/journal/s/{token}/")
    assert page.evaluate("window.innerWidth") == 390


def test_the_shared_chart_is_readable_on_a_phone(page, owner):
    open_share(page, owner)
    found = page.evaluate(CHART_TEXT, MIN_TEXT_PX)
    assert page.locator("svg.chart-svg:visible").count() == 1
    assert found["small"] == [], "\n".join(found["small"])
    caption = page.locator(".report-chart figcaption").inner_text()
    assert "1 day with a score" in caption, caption


def test_the_shared_page_opens_with_its_title_and_the_app_buttons(page, owner):
    open_share(page, owner)
    first_text = page.locator("main").inner_text().strip().splitlines()[0]
    assert first_text.startswith("Trigger-point self-release log"), first_text
    assert page.get_by_role("heading", level=1).count() == 1
    pdf = page.get_by_role("link", name="Download PDF (A4)")
    assert "btn-accent" in pdf.get_attribute("class")
    assert page.locator("main .btn-primary, main .btn-outline-primary").count() == 0
    assert page.console_errors == []


# The relative luminance contrast of the main text and the log's small print against the page, in the browser.
CONTRAST = """() => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  const of = (selector) => ratio(rgb(getComputedStyle(document.querySelector(selector)).color), page);
  return {page, body: of(".report-title"), note: of(".report-note"), chart: of("svg.chart-narrow")};
}"""


def test_the_shared_page_is_dark_when_the_phone_is(page, owner):
    page.emulate_media(color_scheme="dark")
    open_share(page, owner)
    found = page.evaluate(CONTRAST)
    assert max(found["page"]) < 60, found  # a dark page, not white
    assert min(found["body"], found["note"], found["chart"]) >= 4.5, found
    page.emulate_media(color_scheme="light")
    assert min(page.evaluate(CONTRAST)["page"]) > 240
    assert page.console_errors == []


def test_the_every_release_links_are_44_px_tap_targets(page, owner):
    """The inline links that add or drop every release wrap over two lines of small text at 390 px: each is still a
    44 px target (WCAG 2.5.5), both ways round."""
    open_share(page, owner)
    more = page.get_by_role("link", name="Also show every release of the 30 most recent sessions")
    expect(more).to_be_visible()
    assert more.bounding_box()["height"] >= 44, more.bounding_box()
    review_shot(more.locator("xpath=.."), "h34-share-every-release.png")
    more.click()
    fewer = page.get_by_role("link", name="Show the log without every release")
    expect(fewer).to_be_visible()
    assert fewer.bounding_box()["height"] >= 44, fewer.bounding_box()
    assert page.console_errors == []
