"""The trends' tender map on a 390 x 844 phone, light and dark: "no answers" is hollow and dashed (never a value's
colour) and named in the legend; every mark's outline and every class's fill has at least 3:1 non-text contrast
against the body shape it sits on (WCAG 1.4.11), and the higher the class the more its fill stands out from the
shape, so that "more often tender" is "more visible" in both modes (the light ramp's darkest red faded into the dark
shape and its palest yellow stood out most there). The legend names the ends in words, true in both modes."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from routines.models import Point
from tests.e2e.test_runner_stopped_early import review_shot
from tests.factories import make_release, on_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each value or no-answers mark: its kind and shade class, the dot's fill, stroke and dash, and the contrast of
# its outline and of its fill against the fill of the body shape in the same drawing (WCAG relative luminance); and
# for each swatch of the legend's ramp, the contrast of its colour against the same shape's fill.
MARKS = """
() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const shapeOf = (el) => getComputedStyle(el.closest("svg").querySelector(".body-map-shape")).fill;
  const shadeOf = (el) => /shade-(\\d)/.exec(el.getAttribute("class"))?.[1] ?? null;
  const marks = [...document.querySelectorAll(".body-map-mark.has-value, .body-map-mark.no-answers")].map((mark) => {
    const dot = getComputedStyle(mark.querySelector(".body-map-dot"));
    const shape = shapeOf(mark);
    const hollow = mark.classList.contains("no-answers");
    return {
      kind: hollow ? "none" : "value", shade: shadeOf(mark), point: mark.dataset.point, side: mark.dataset.side,
      fill: dot.fill, stroke: dot.stroke, dash: dot.strokeDasharray, contrast: ratio(dot.stroke, shape),
      fillContrast: hollow ? null : ratio(dot.fill, shape),
    };
  });
  const shape = shapeOf(document.querySelector(".body-map-mark"));
  const legend = [...document.querySelectorAll(".body-map-legend .body-map-swatch[class*='shade-']")].map((s) => ({
    shade: shadeOf(s), contrast: ratio(getComputedStyle(s).backgroundColor, shape),
  }));
  return {marks, legend};
}
"""

# (point, side) -> tender in how many of the five sessions: 0%, 20%, ... 100%, one mark in each class and two in
# the top one (80-100%).
TENDER_OF_FIVE = {
    ("glute-top", "left"): 0,
    ("glute-top", "right"): 1,
    ("glute-side", "left"): 2,
    ("glute-side", "right"): 3,
    ("heel-inside-edge", "left"): 4,
    ("heel-inside-edge", "right"): 5,
}


@pytest.fixture
def tender_data(owner):
    """Five sessions; the six marks of TENDER_OF_FIVE have a value in every class, the other eight: no answers."""
    owner.profile.acknowledge_safety()
    for n in range(5):
        session = on_day(owner, n + 1, pain_before=5, pain_after=4)
        for position, ((slug, side), tender_in) in enumerate(TENDER_OF_FIVE.items(), start=1):
            point = Point.objects.get(slug=slug)
            make_release(session, position, point_id=point.pk, point_name=point.name, side=side, tender=n < tender_in)
    return owner


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_answers_stands_apart_and_every_mark_stands_out_on_the_shape(signed_in_page, tender_data, scheme):
    page = signed_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(reverse("journal:trends"))
    figure = page.locator("figure.body-map.has-values")
    expect(figure).to_be_visible()
    legend = figure.locator(".body-map-legend")
    expect(legend).to_contain_text("no answers")
    expect(legend).to_contain_text("less often tender")
    expect(legend).to_contain_text("more often tender")
    expect(legend).not_to_contain_text("darker")
    expect(figure.locator(".body-map-legend .body-map-swatch.no-answers")).to_have_count(1)
    found = page.evaluate(MARKS)
    marks = found["marks"]
    values = [m for m in marks if m["kind"] == "value"]
    empty = [m for m in marks if m["kind"] == "none"]
    assert len(values) == 6 and len(empty) == 8
    assert {m["shade"] for m in values} == {"0", "1", "2", "3", "4"}
    assert {m["fill"] for m in values}.isdisjoint({m["fill"] for m in empty})
    assert all(m["fill"] == "none" and m["dash"] != "none" for m in empty), empty
    assert all(m["dash"] == "none" for m in values), values
    low = [m for m in marks if m["contrast"] < 3]
    assert low == [], f"outlines under 3:1 against the body shape ({scheme}): {low}"
    faint = [m for m in values if m["fillContrast"] < 3]
    assert faint == [], f"fills under 3:1 against the body shape ({scheme}): {faint}"

    # The higher the class, the more its fill stands out from the shape: on the map and in the legend's ramp.
    by_shade = {m["shade"]: m["fillContrast"] for m in values}
    rising = [by_shade[str(n)] for n in range(5)]
    assert rising == sorted(rising) and len(set(rising)) == 5, f"map fills vs the shape ({scheme}): {rising}"
    ramp = [s["contrast"] for s in found["legend"]]
    assert [s["shade"] for s in found["legend"]] == ["0", "1", "2", "3", "4"]
    assert ramp == rising, f"the legend's swatches are the map's colours ({scheme}): {ramp} vs {rising}"
    review_shot(figure, f"h34-map-{scheme}.png")
    assert page.console_errors == []
