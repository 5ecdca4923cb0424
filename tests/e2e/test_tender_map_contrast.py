"""The trends' tender map on a 390 x 844 phone, light and dark: "no answers" is hollow and dashed (never a value's
colour) and named in the legend, and every mark's outline has at least 3:1 non-text contrast against the body
shape it sits on (WCAG 1.4.11): the palest and the darkest shades alone faded into the light or the dark shape."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from routines.models import Point
from tests.e2e.test_runner_stopped_early import review_shot
from tests.factories import make_release, on_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each value or no-answers mark: its kind, the dot's fill, stroke and dash, and the contrast of its outline
# against the fill of the body shape in the same drawing (WCAG relative luminance).
MARKS = """
() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  return [...document.querySelectorAll(".body-map-mark.has-value, .body-map-mark.no-answers")].map((mark) => {
    const dot = getComputedStyle(mark.querySelector(".body-map-dot"));
    const shape = getComputedStyle(mark.closest("svg").querySelector(".body-map-shape")).fill;
    return {
      kind: mark.classList.contains("no-answers") ? "none" : "value",
      fill: dot.fill, stroke: dot.stroke, dash: dot.strokeDasharray, contrast: ratio(dot.stroke, shape),
    };
  });
}
"""


@pytest.fixture
def tender_data(owner):
    """Glute top: left tender 0 of 2 (the palest shade), right 2 of 2 (the darkest); every other mark: no answers."""
    owner.profile.acknowledge_safety()
    glute = Point.objects.get(slug="glute-top")
    for days_ago in (1, 2):
        session = on_day(owner, days_ago, pain_before=5, pain_after=4)
        for position, (side, tender) in enumerate([("left", False), ("right", True)], start=1):
            make_release(session, position, point_id=glute.pk, point_name=glute.name, side=side, tender=tender)
    return owner


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_answers_stands_apart_and_every_mark_stands_out_on_the_shape(signed_in_page, tender_data, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(reverse("journal:trends"))
    figure = page.locator("figure.body-map.has-values")
    expect(figure).to_be_visible()
    expect(figure.locator(".body-map-legend")).to_contain_text("no answers")
    expect(figure.locator(".body-map-legend .body-map-swatch.no-answers")).to_have_count(1)
    marks = page.evaluate(MARKS)
    values = [m for m in marks if m["kind"] == "value"]
    empty = [m for m in marks if m["kind"] == "none"]
    assert len(values) == 2 and len(empty) == 12
    assert {m["fill"] for m in values}.isdisjoint({m["fill"] for m in empty})
    assert all(m["fill"] == "none" and m["dash"] != "none" for m in empty), empty
    assert all(m["dash"] == "none" for m in values), values
    low = [m for m in marks if m["contrast"] < 3]
    assert low == [], f"outlines under 3:1 against the body shape ({scheme}): {low}"
    review_shot(figure, f"h31-map-{scheme}.png")
    assert page.console_errors == []
