"""The body map: one reusable inline SVG component of both soles and the buttocks from behind.

Usage: {% load body_map %}{% body_map points highlight=point highlight_side="left" values=tender_share %}
- points: the Point rows to mark (each is marked on both sides);
- highlight / highlight_side: one point (and optionally one side) drawn emphasised, e.g. in the runner;
- values: {(point_id, side): 0.0-1.0} colours marks by a value (the trends' "how often tender").
"""

from decimal import Decimal

from django import template

from routines.models import MapView, Side

register = template.Library()

# Each view is drawn in its own 100 x 100 box; the left-side mark uses the point's (x, y) and the right-side
# mark is mirrored about x = 50.
VIEW_ORDER = [MapView.SOLES, MapView.BUTTOCKS]


def _shade(value: float | None) -> int | None:
    """Maps 0.0-1.0 to one of five CSS shade classes (no inline style: CSP)."""
    if value is None:
        return None
    return min(4, max(0, int(float(value) * 5)))


@register.inclusion_tag("routines/_body_map.html")
def body_map(points, highlight=None, highlight_side=None, values=None, link=True, title="Body map"):
    views = {view: [] for view in VIEW_ORDER}
    for point in points:
        for side in (Side.LEFT, Side.RIGHT):
            x = Decimal(point.map_x) if side == Side.LEFT else 100 - Decimal(point.map_x)
            is_highlight = highlight is not None and point.pk == highlight.pk and (highlight_side in (None, "", side))
            value = values.get((point.pk, side.value)) if values else None
            views[point.map_view].append(
                {
                    "point": point,
                    "side": side.value,
                    "label": point.label(side),
                    "x": x,
                    "y": point.map_y,
                    "highlight": is_highlight,
                    "shade": _shade(value),
                    "value": value,
                }
            )
    return {
        "views": [(MapView(view), marks) for view, marks in views.items() if marks],
        "link": link,
        "title": title,
        "has_values": bool(values),
    }
