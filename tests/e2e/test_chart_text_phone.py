"""The trends and dashboard charts on a 360 and a 390 px wide phone: every text in a chart (axis ticks, axis
labels, legends) is drawn at least 12 CSS px high, and each chart has a visible title.

An SVG scales its text with its drawing: a 640-unit chart squeezed into a 340 px column draws 11-unit text at
about 6 px. The rendered size is the text's font size times the scale of its SVG on screen (getScreenCTM)."""

import pytest

from tests.audit.browser import open_audited
from tests.audit.pages import AuditPage, _dashboard_url, _trends_all_url, _trends_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TEXT_PX = 12

# (chart id, text, rendered px) for every visible text in a chart SVG; and the charts whose title is not shown.
CHART_TEXT = """(minimum) => {
  const found = {small: [], untitled: []};
  for (const svg of document.querySelectorAll("svg.chart-svg")) {
    if (!svg.getClientRects().length) continue;  // the variant for the other screen width
    const figure = svg.closest("figure");
    const title = figure && figure.querySelector("figcaption");
    if (!title || !title.getClientRects().length || !title.textContent.trim()) found.untitled.push(svg.id);
    for (const text of svg.querySelectorAll("text")) {
      if (!text.getClientRects().length || !text.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
      if (px + 0.05 < minimum) found.small.push(`${svg.id}: "${text.textContent.trim()}" ${px.toFixed(1)} px`);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize(
    ("name", "url"), [("dashboard", _dashboard_url), ("trends", _trends_url), ("trends: all", _trends_all_url)]
)
def test_chart_text_is_readable_on_a_phone(page, owner, width, name, url):
    page.set_viewport_size({"width": width, "height": 844})
    open_audited(page, AuditPage(name, url, visitors=("owner",)), "owner", owner)
    assert page.locator("svg.chart-svg").count() > 0
    found = page.evaluate(CHART_TEXT, MIN_TEXT_PX)
    assert found["untitled"] == []
    assert found["small"] == [], "\n".join(found["small"][:20])
