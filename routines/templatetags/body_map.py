"""The body map: one reusable inline SVG component of both soles and the buttocks from behind.

Usage: {% load body_map %}{% body_map points highlight=point highlight_side="left" values=tender_share %}
- points: the Point rows to mark (each is marked on both sides; duplicates are ignored);
- highlight / highlight_side: one point (and optionally one side) drawn emphasised, e.g. in the runner;
- values: {(point_id, side): 0.0-1.0} colours marks by a value (the trends' "how often tender"); a legend and
  the values in words come with it; value_label names the value ("Tender" by default). Five classes (CSS
  "shade-0" to "shade-4", 0-19% ... 80-100%) whose fills stand out more from the body shape as the value rises, in
  light and dark mode alike; the legend names the ends in words ("less often tender" ... "more often tender"), as
  "darker" or "lighter" is true in one mode only. A mark with no value (no answers in the period) is drawn hollow
  with a dashed outline (class "no-answers"), never in a value's colour; the legend names it, and the text list
  says "no answers" for it;
- link: each mark is a link to the point's page (True by default);
- title: the accessible name of the whole map;
- grid: faint lines every 10 units with their numbers, to help place a custom point by its x and y.

No inline styles (CSP): marks are positioned by SVG attributes and coloured by CSS classes.
"""

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template

from routines.models import MapView, Point, Side

register = template.Library()

# Each drawing uses a 100 x 100 box for the marks (plus room below for captions); the left-side mark uses the
# point's (x, y) and the right-side mark is mirrored about x = 50. Left is drawn on the left (seen from behind).
VIEW_ORDER = [MapView.SOLES, MapView.BUTTOCKS]
SHADES = 5
_ids = itertools.count(1)


def _shade(value: float | None) -> int | None:
    """Maps 0.0-1.0 to one of five CSS shade classes (no inline style: CSP)."""
    if value is None:
        return None
    return min(SHADES - 1, max(0, int(float(value) * SHADES)))


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(float(value) * 100)}%"


def _legend() -> list[dict[str, int | str]]:
    step = 100 // SHADES
    return [
        {"shade": n, "label": f"{n * step}-{100 if n == SHADES - 1 else (n + 1) * step - 1}%"} for n in range(SHADES)
    ]


@register.inclusion_tag("routines/_body_map.html")
def body_map(
    points: Iterable[Point],
    highlight: Point | None = None,
    highlight_side: str | None = None,
    values: dict[tuple[int, str], float] | None = None,
    link: bool = True,
    title: str = "Body map",
    value_label: str = "Tender",
    grid: bool = False,
) -> dict[str, Any]:
    views: dict[str, list[dict[str, Any]]] = {view: [] for view in VIEW_ORDER}
    listing: list[dict[str, Any]] = []
    seen: set[int] = set()
    for point in points:
        if point.pk in seen:
            continue
        seen.add(point.pk)
        sides: list[dict[str, Any]] = []
        for side in (Side.LEFT, Side.RIGHT):
            x = Decimal(point.map_x) if side == Side.LEFT else 100 - Decimal(point.map_x)
            is_highlight = highlight is not None and point.pk == highlight.pk and highlight_side in (None, "", side)
            value = values.get((point.pk, side.value)) if values else None
            mark = {
                "point": point,
                "side": side.value,
                "label": point.label(side),
                "x": x,
                "y": point.map_y,
                "highlight": is_highlight,
                "shade": _shade(value),
                "value": value,
                "value_text": _percent(value),
                "no_answers": bool(values) and value is None,
            }
            views[point.map_view if point.map_view in views else MapView.SOLES].append(mark)
            sides.append(mark)
        listing.append(
            {
                "point": point,
                "sides": sides,
                "highlight": any(m["highlight"] for m in sides),
                # Both sides without answers: the list says so once for the point rather than twice.
                "no_answers": all(m["no_answers"] for m in sides),
            }
        )
    return {
        "views": [(MapView(view), marks) for view, marks in views.items() if marks],
        "listing": listing,
        "link": link,
        "title": title,
        "has_values": bool(values),
        "legend": _legend() if values else [],
        "value_label": value_label,
        "uid": f"bm{next(_ids)}",
        "grid": range(10, 100, 10) if grid else None,
    }
