"""Server-rendered SVG charts for the dashboard, the trends page, the PDF export and the share page.

Why a small module and not a chart library: the Content-Security-Policy forbids inline `style` attributes,
`<style>` elements and inline scripts, and the charts must work without JavaScript, print, and render in
WeasyPrint. Libraries such as pygal emit inline styles and scripts; JavaScript libraries need a browser. So each
chart here is plain SVG drawn with presentation attributes only (`fill`, `stroke`, `stroke-dasharray`,
`font-size`, ...; colours either fixed Okabe-Ito colours, safe for colour-blind readers, or `currentColor`),
which needs no stylesheet at all. Series differ by dash pattern and marker as well as colour.

Every chart carries `<title>` and `<desc>` (referenced by `aria-labelledby`) and a table of the same numbers.

Stable API (add, don't rename). Each function returns a `Chart`:

- `pain_chart(trend: series.PainTrend, chart_id="pain-chart")`
    daily mean pain before and after, the 7-day rolling mean of pain before, and the baseline as a dashed line.
- `change_chart(days: list[aggregates.DailyPain], chart_id="change-chart", period="day")`   mean change within a
    session per day (or per week or month: `periods.chart_period`).
- `weekly_chart(adherence: aggregates.Adherence, chart_id="weekly-chart", period="week")`   completed sessions per
    week, or per month when `period="month"`.
- `heatmap_chart(weeks: list[list[aggregates.HeatCell]], chart_id="heatmap-chart")`   calendar of sessions per day.
- `side_chart(rows: list[aggregates.SideRow], chart_id="side-chart")`           share tender, left against right.
- `sparkline_chart(days: list[aggregates.DailyPain], chart_id="week-chart")`    the last days' pain before, small.

`Chart` fields: `id`, `title`, `desc`, `svg` (safe markup), `columns` and `rows` (the numbers as display
strings). `chart.table_html()` is the table; `chart.html()` (also what `{{ chart }}` renders) is a `<figure>` with
the SVG and the table inside a `<details>` element, so screen readers and printouts get the numbers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import TYPE_CHECKING

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from journal.trends.aggregates import Adherence, DailyPain, HeatCell, SideRow
    from journal.trends.series import PainTrend

BEFORE = "#0072B2"  # blue
AFTER = "#D55E00"  # vermilion
ROLLING = "#009E73"  # bluish green
LOWER = "#0072B2"
HIGHER = "#D55E00"
HEAT = ["none", "#a6dba0", "#5aae61", "#1b7837"]
LEFT = "#0072B2"
RIGHT = "#E69F00"
MAX_MARKERS = 92  # draw a marker per day only up to about three months


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    svg: SafeString
    columns: list[str]
    rows: list[list[str]]
    # The same chart drawn for a phone's column (NARROW units wide, NARROW_FONT text): shown instead of `svg`
    # below 576 px, so that its text is drawn at least 12 CSS px high (a 640-unit chart would draw it at ~6 px).
    narrow_svg: SafeString | None = None

    def table_html(self) -> SafeString:
        # One row per day can mean thousands of cells ("all" of a ten-year journal): each cell is escaped with the
        # standard library's html.escape (what Django's escape does, without its per-call lazy-string check), which
        # keeps the table about five times cheaper than a format_html call per cell.
        head = "".join(f'<th scope="col">{_cell(c)}</th>' for c in self.columns)
        body = "".join(
            f'<tr><th scope="row">{_cell(row[0])}</th>' + "".join(f"<td>{_cell(c)}</td>" for c in row[1:]) + "</tr>"
            for row in self.rows
        )
        return mark_safe(  # noqa: S308 - every piece of text in it went through _cell (escaped) or is our markup
            f'<table class="table table-sm chart-table" id="{_cell(self.id)}-table"><caption>{_cell(self.title)}'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def html(self) -> SafeString:
        return format_html(
            '<figure class="chart{}" id="{}-figure"><figcaption class="chart-title">{}</figcaption>{}{}<details '
            'class="chart-numbers"><summary>The numbers in this chart</summary>{}</details></figure>',
            " has-narrow" if self.narrow_svg else "",
            self.id,
            self.title,
            self.svg,
            self.narrow_svg or "",
            self.table_html(),
        )

    def __html__(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.html()


# Helpers ---------------------------------------------------------------------------------------------------------


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _cell(value: object) -> str:
    """conditional_escape for the hot path (what html.escape does, in one pass): safe strings pass unchanged."""
    if hasattr(value, "__html__"):
        safe: str = value.__html__()
        return safe
    return str(value).translate(_ESCAPES)


def num(value: float | None, places: int = 1) -> str:
    """A number for display, or an en dash for no data."""
    return "–" if value is None else f"{value:.{places}f}"


def _fmt(x: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0" (called tens of thousands of times)."""
    text = f"{x + 0.0:.1f}"  # + 0.0 turns -0.0 into 0.0
    return text[:-2] if text.endswith(".0") else text


def _day(d: date, long: bool = False) -> str:
    return f"{d.day} {d:%b %Y}" if long else f"{d.day} {d:%b}"


@dataclass(frozen=True)
class _Period:
    """How a chart names what one of its points stands for (see `periods.chart_period`)."""

    adjective: str  # "Daily"
    unit: str  # "day"
    column: str  # the first column of the table

    def label(self, d: date) -> str:
        return f"{d:%b %Y}" if self.unit == "month" else _day(d, True)


PERIODS = {
    "day": _Period("Daily", "day", "Date"),
    "week": _Period("Weekly", "week", "Week from"),
    "month": _Period("Monthly", "month", "Month"),
}


WIDE, WIDE_FONT = 640, 11
NARROW, NARROW_FONT = 320, 13  # 320 units in a 296-350 px column: 13-unit text draws at 12-14 px


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: str, narrow: bool = False) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg{variant}" id="{id}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'font-family="system-ui, sans-serif" '
        'font-size="12" fill="currentColor"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        variant=" chart-narrow" if narrow else (" chart-wide" if width == WIDE else ""),
        id=f"{chart_id}-narrow" if narrow else chart_id,
        w=width,
        h=height,
        title=title,
        desc=desc,
        body=mark_safe(body),  # noqa: S308 - built below from escaped text and numbers only
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", size: float = 12, extra: str = "") -> str:
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" font-size="{size}"{extra}>{escape(text)}</text>'


def _line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    stroke: str = "currentColor",
    width: float = 1.0,
    dash: str = "",
    opacity: str = "",
) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    op = f' stroke-opacity="{opacity}"' if opacity else ""
    return (
        f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" stroke="{stroke}" '
        f'stroke-width="{_fmt(width)}"{dash_attr}{op}/>'
    )


def _polylines(points: list[tuple[float, float | None]], stroke: str, width: float, dash: str = "") -> str:
    """Polylines through the points, broken where a value is missing."""
    out: list[str] = []
    run: list[tuple[float, float]] = []
    for x, y in [*points, (0, None)]:
        if y is None:
            if len(run) > 1:
                coords = " ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in run)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(
                    f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="{_fmt(width)}" '
                    f'stroke-linejoin="round"{dash_attr}/>'
                )
            run = []
        else:
            run.append((x, y))
    return "".join(out)


class _Frame:
    """Plot area inside a width x height SVG with margins; maps dates and values to coordinates."""

    def __init__(
        self,
        width: float,
        height: float,
        left: float = 40,
        right: float = 12,
        top: float = 28,
        bottom: float = 32,
        y_min: float = 0.0,
        y_max: float = 10.0,
        font: float = WIDE_FONT,
    ) -> None:
        self.width, self.height = width, height
        self.font = font
        self.max_ticks = 5 if width >= WIDE else 3
        self.x0, self.x1 = left, width - right
        self.y0, self.y1 = height - bottom, top  # y0 is the bottom of the plot area
        self.y_min, self.y_max = y_min, y_max

    def y(self, value: float) -> float:
        return self.y0 - (value - self.y_min) / (self.y_max - self.y_min) * (self.y0 - self.y1)

    def date_x(self, first: date, last: date) -> Callable[[date], float]:
        span = max((last - first).days, 1)

        def x(d: date) -> float:
            if first == last:
                return (self.x0 + self.x1) / 2
            return self.x0 + (d - first).days / span * (self.x1 - self.x0)

        return x

    def y_axis(self, ticks: Iterable[float], label: str = "") -> str:
        parts = []
        for t in ticks:
            yy = self.y(t)
            parts.append(_line(self.x0, yy, self.x1, yy, opacity="0.15"))
            parts.append(_text(self.x0 - 6, yy + 4, _fmt(t), anchor="end", size=self.font))
        if label:
            parts.append(_text(self.x0, self.y1 - 10, label, anchor="start", size=self.font))
        return "".join(parts)

    def date_axis(self, first: date, last: date, x: Callable[[date], float], monthly: bool = False) -> str:
        """Up to five dated ticks; `monthly` puts them on the first of a month, labelled "May 2019"."""
        span = (last - first).days
        long = span > 300
        n = 1 if span == 0 else min(self.max_ticks, span + 1)
        parts = [_line(self.x0, self.y0, self.x1, self.y0, opacity="0.5")]
        seen = set()
        for i in range(n):
            d = first if n == 1 else date.fromordinal(first.toordinal() + round(i * span / (n - 1)))
            if monthly:
                d = d.replace(day=1)
            if d in seen:
                continue
            seen.add(d)
            xx = x(d)
            anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
            parts.append(_line(xx, self.y0, xx, self.y0 + 4, opacity="0.5"))
            label = f"{d:%b %Y}" if monthly else _day(d, long)
            parts.append(_text(xx, self.y0 + 18, label, anchor=anchor, size=self.font))
        return "".join(parts)


def _legend(
    items: list[tuple[str, str, str]], x: float, y: float, size: float = WIDE_FONT, right: float = 10_000
) -> str:
    """items: (label, colour, dash) drawn as short line samples left to right, on a new line (1.5 `size` below)
    where the next would pass `right`."""
    parts = []
    start = x
    for label, colour, dash in items:
        width = 34 + size * 0.6 * len(label)
        if x > start and x + width > right:
            x, y = start, y + size * 1.5
        parts.append(_line(x, y - 4, x + 22, y - 4, stroke=colour, width=3, dash=dash))
        parts.append(_text(x + 26, y, label, anchor="start", size=size))
        x += width
    return "".join(parts)


def _empty(chart_id: str, title: str, message: str) -> Chart:
    # Narrow, with the message wrapped: it reads at 13 px on a phone and at its own size on a desk.
    lines = textwrap.wrap(message, 36)
    width, height = NARROW, 30 + 20 * len(lines)
    body = "".join(_text(width / 2, 30 + 20 * i, line, size=NARROW_FONT) for i, line in enumerate(lines))
    return Chart(chart_id, title, message, _svg(chart_id, title, message, width, height, body), ["Note"], [[message]])


# Charts ----------------------------------------------------------------------------------------------------------


def pain_chart(trend: PainTrend, chart_id: str = "pain-chart") -> Chart:
    title = "Leg pain over time (0-10)"
    days = trend.days
    if not trend.has_data:
        return _empty(chart_id, title, "No leg pain scores in this period yet.")
    first, last = days[0].date, days[-1].date
    rolling = dict(trend.rolling)
    period = PERIODS[trend.period]
    before_means = [d.before for d in days if d.before is not None]
    overall = fmean(before_means) if before_means else None
    desc = (
        f"{period.adjective} mean leg pain before and after sessions from {_day(first, True)} to "
        f"{_day(last, True)}, {len(days)} {period.unit}s with sessions. Mean leg pain before: {num(overall)}."
    )
    if trend.baseline_mean is not None:
        desc += f" Baseline: {num(trend.baseline_mean)}."
    rows = [
        [period.label(d.date), num(d.before), num(d.after), num(rolling.get(d.date)), str(d.sessions)] for d in days
    ]
    columns = [
        period.column,
        "Leg pain before (mean)",
        "Leg pain after (mean)",
        "7-day mean of leg pain before",
        "Sessions",
    ]
    wide = _svg(chart_id, title, desc, WIDE, 260, _pain_body(trend, _Frame(WIDE, 260)))
    narrow_frame = _Frame(NARROW, 280, left=34, right=8, top=62, font=NARROW_FONT)
    narrow = _svg(chart_id, title, desc, NARROW, 280, _pain_body(trend, narrow_frame), narrow=True)
    return Chart(chart_id, title, desc, wide, columns, rows, narrow)


def _pain_body(trend: PainTrend, frame: _Frame) -> str:
    days = trend.days
    first, last = days[0].date, days[-1].date
    x = frame.date_x(first, last)
    period = PERIODS[trend.period]
    body = [frame.y_axis(range(0, 11, 2), "Leg pain (0-10)"), frame.date_axis(first, last, x, period.unit == "month")]
    if trend.baseline_mean is not None:
        yy = frame.y(trend.baseline_mean)
        body.append(_line(frame.x0, yy, frame.x1, yy, width=1.5, dash="2 4", opacity="0.8"))
    body.append(_polylines([(x(d.date), _maybe(frame, d.before)) for d in days], BEFORE, 1.5))
    body.append(_polylines([(x(d.date), _maybe(frame, d.after)) for d in days], AFTER, 1.5, dash="6 4"))
    body.append(_polylines([(x(d), _maybe(frame, v)) for d, v in trend.rolling], ROLLING, 3))
    if len(days) <= MAX_MARKERS:
        for d in days:
            if d.before is not None:
                body.append(f'<circle cx="{_fmt(x(d.date))}" cy="{_fmt(frame.y(d.before))}" r="3" fill="{BEFORE}"/>')
            if d.after is not None:
                xx, yy = x(d.date), frame.y(d.after)
                body.append(f'<rect x="{_fmt(xx - 3)}" y="{_fmt(yy - 3)}" width="6" height="6" fill="{AFTER}"/>')
    legend = [("Before", BEFORE, ""), ("After", AFTER, "6 4"), ("7-day mean", ROLLING, "")]
    if trend.baseline_mean is not None:
        legend.append(("Baseline", "currentColor", "2 4"))
    if frame.width >= WIDE:
        body.append(_legend(legend, frame.x0 + 90, 14))
    else:  # above the axis label, on two lines
        body.append(_legend(legend, 4, 14, size=frame.font, right=frame.width - 4))
    return "".join(body)


def _maybe(frame: _Frame, value: float | None) -> float | None:
    return None if value is None else frame.y(value)


def change_chart(days: list[DailyPain], chart_id: str = "change-chart", period: str = "day") -> Chart:
    title = "Change within a session (after minus before)"
    by = PERIODS[period]
    changes = [(d, d.change) for d in days if d.change is not None]
    days = [d for d, _change in changes]
    if not days:
        return _empty(chart_id, title, "No sessions with leg pain before and after in this period yet.")
    extent = max(2, *(abs(change) for _d, change in changes))
    extent = float(min(10, int(extent + 0.999)))
    first, last = days[0].date, days[-1].date
    mean = sum(change for _d, change in changes) / len(days)
    desc = (
        f"{by.adjective} mean of leg pain after minus leg pain before, {len(days)} {by.unit}s from "
        f"{_day(first, True)} to {_day(last, True)}. Mean: {num(mean)} points. Bars below zero are {by.unit}s "
        f"with less leg pain after than before."
    )
    rows = [[by.label(d.date), num(d.change), str(d.sessions)] for d in days]
    svg = _svg(
        chart_id, title, desc, WIDE, 220, _change_body(changes, by, _Frame(WIDE, 220, y_min=-extent, y_max=extent))
    )
    narrow_frame = _Frame(NARROW, 240, left=34, right=8, top=40, y_min=-extent, y_max=extent, font=NARROW_FONT)
    narrow = _svg(
        chart_id, title, desc, NARROW, 240, _change_body(changes, by, narrow_frame, "Below 0 = less pain after"), True
    )
    columns = [by.column, "Change (points)", "Sessions"]
    return Chart(chart_id, title, desc, svg, columns, rows, narrow)


def _change_body(
    changes: list[tuple[DailyPain, float]],
    by: _Period,
    frame: _Frame,
    label: str = "Points (below 0 = less leg pain after)",
) -> str:
    extent = frame.y_max
    days = [d for d, _change in changes]
    first, last = days[0].date, days[-1].date
    x = frame.date_x(first, last)
    step = 2 if extent > 4 else 1
    ticks = range(-int(extent), int(extent) + 1, step)
    body = [
        frame.y_axis(ticks, label),
        frame.date_axis(first, last, x, by.unit == "month"),
    ]
    bar = max(1.5, min(12.0, (frame.x1 - frame.x0) / max(len(days), 1) * 0.7))
    zero = frame.y(0)
    for d, change in changes:
        yy = frame.y(change)
        top, height = min(yy, zero), abs(yy - zero)
        colour = LOWER if change < 0 else HIGHER
        body.append(
            f'<rect x="{_fmt(x(d.date) - bar / 2)}" y="{_fmt(top)}" width="{_fmt(bar)}" '
            f'height="{_fmt(max(height, 0.8))}" fill="{colour}"/>'
        )
    body.append(_line(frame.x0, zero, frame.x1, zero, width=1.2))
    return "".join(body)


def weekly_chart(adherence: Adherence, chart_id: str = "weekly-chart", period: str = "week") -> Chart:
    """Completed sessions per week, or per calendar month for `period="month"` (a period of several years)."""
    unit = "month" if period == "month" else "week"
    title = f"Completed sessions per {unit}"
    buckets = adherence.per_period(unit)
    if not buckets or not adherence.sessions:
        return _empty(chart_id, title, "No completed sessions in this period yet.")
    mean = adherence.sessions / len(buckets)
    desc = f"{adherence.sessions} completed sessions over {len(buckets)} {unit}s (mean {num(mean)} a {unit})"
    if unit == "week":
        desc += ", weeks starting on Monday."
        rows = [[f"Week of {_day(start, True)}", str(n)] for start, n in buckets]
    else:
        desc += "."
        rows = [[PERIODS["month"].label(start), str(n)] for start, n in buckets]
    y_max = float(max(1, *(n for _, n in buckets)))
    svg = _svg(chart_id, title, desc, WIDE, 200, _weekly_body(buckets, unit, _Frame(WIDE, 200, y_min=0, y_max=y_max)))
    narrow_frame = _Frame(NARROW, 210, left=34, right=8, y_min=0, y_max=y_max, font=NARROW_FONT)
    narrow = _svg(chart_id, title, desc, NARROW, 210, _weekly_body(buckets, unit, narrow_frame), narrow=True)
    return Chart(chart_id, title, desc, svg, [unit.capitalize(), "Sessions"], rows, narrow)


def _weekly_body(buckets: list[tuple[date, int]], unit: str, frame: _Frame) -> str:
    y_max = frame.y_max
    first, last = buckets[0][0], buckets[-1][0]
    x = frame.date_x(first, last)
    step = max(1, int(y_max // 4) or 1)
    body = [frame.y_axis(range(0, int(y_max) + 1, step), "Sessions"), frame.date_axis(first, last, x, unit == "month")]
    bar = max(1.5, min(24.0, (frame.x1 - frame.x0) / len(buckets) * 0.7))
    for start, n in buckets:
        if n:
            yy = frame.y(n)
            body.append(
                f'<rect x="{_fmt(x(start) - bar / 2)}" y="{_fmt(yy)}" width="{_fmt(bar)}" '
                f'height="{_fmt(frame.y0 - yy)}" fill="{BEFORE}"/>'
            )
    return "".join(body)


def heatmap_chart(weeks: list[list[HeatCell]], chart_id: str = "heatmap-chart") -> Chart:
    title = "Sessions per day"
    if not weeks:
        return _empty(chart_id, title, "No days to show.")
    cell = 18 if len(weeks) <= 20 else (14 if len(weeks) <= 35 else 11)
    gap, left, top = 2, 36, 20
    width = left + len(weeks) * (cell + gap) + 10
    height = top + 7 * (cell + gap) + 34
    body = []
    for i, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        body.append(_text(left - 4, top + i * (cell + gap) + cell - 2, name, anchor="end", size=12))
    last_month = None
    cells = [c for week in weeks for c in week if c.in_range]
    for col, week in enumerate(weeks):
        xx = left + col * (cell + gap)
        first_in = next((c for c in week if c.in_range), None)
        if first_in and first_in.date.month != last_month:
            last_month = first_in.date.month
            body.append(_text(xx, top - 6, f"{first_in.date:%b}", anchor="start", size=12))
        for row, c in enumerate(week):
            if not c.in_range:
                continue
            yy = top + row * (cell + gap)
            fill = HEAT[c.level]
            label = f"{_day(c.date, True)}: {c.count} session{'s' if c.count != 1 else ''}"
            body.append(
                f'<rect x="{xx}" y="{yy}" width="{cell}" height="{cell}" rx="2" fill="{fill}" '
                f'stroke="currentColor" stroke-opacity="0.3"><title>{escape(label)}</title></rect>'
            )
    ly = height - 10
    lx = left
    body.append(_text(lx, ly, "Fewer", anchor="start", size=12))
    lx += 42
    for level in range(4):
        body.append(
            f'<rect x="{lx}" y="{ly - 9}" width="{cell}" height="{cell}" rx="2" fill="{HEAT[level]}" '
            'stroke="currentColor" stroke-opacity="0.3"/>'
        )
        lx += cell + 3
    body.append(_text(lx + 2, ly, "More (3 or more)", anchor="start", size=12))
    active = [c for c in cells if c.count]
    desc = (
        f"A calendar from {_day(cells[0].date, True)} to {_day(cells[-1].date, True)}: "
        f"{len(active)} of {len(cells)} days had at least one completed session, "
        f"{sum(c.count for c in cells)} sessions in all. Darker squares mean more sessions that day."
        if cells
        else "No days to show."
    )
    rows = [[_day(c.date, True), str(c.count)] for c in active]
    svg = _svg(chart_id, title, desc, width, height, "".join(body))
    return Chart(chart_id, title, desc, svg, ["Date", "Completed sessions"], rows)


def side_chart(rows: list[SideRow], chart_id: str = "side-chart") -> Chart:
    title = "Tender spots found, left against right"
    if not any(r.releases for r in rows):
        return _empty(chart_id, title, "No releases in this period yet.")
    # 340 units: the 13-unit text stays at 12 px or more in a 320-350 px column, and the bars stay wide on a desk.
    width, height, left = 340, 40 + 34 * len(rows), 56
    scale = (width - left - 70) / 100
    body = []
    for i, r in enumerate(rows):
        yy = 20 + i * 34
        colour = LEFT if r.side == "left" else RIGHT
        pct = r.tender_percent
        body.append(_text(left - 8, yy + 15, r.side.capitalize(), anchor="end", size=NARROW_FONT))
        body.append(
            f'<rect x="{left}" y="{yy}" width="{_fmt(100 * scale)}" height="22" fill="none" '
            'stroke="currentColor" stroke-opacity="0.3"/>'
        )
        if pct:
            body.append(f'<rect x="{left}" y="{yy}" width="{_fmt(pct * scale)}" height="22" fill="{colour}"/>')
        body.append(
            _text(left + 100 * scale + 6, yy + 15, "–" if pct is None else f"{pct}%", anchor="start", size=NARROW_FONT)
        )
    desc = "; ".join(
        f"{r.side.capitalize()}: tender in {'–' if r.tender_percent is None else f'{r.tender_percent}%'} of "
        f"{r.tender_n} releases with an answer"
        for r in rows
    )
    table = [
        [
            r.side.capitalize(),
            str(r.releases),
            "–" if r.tender_percent is None else f"{r.tender_percent}% (n={r.tender_n})",
            f"{num(r.mean_pressure)} (n={r.pressure_n})",
            f"{num(r.mean_pain_after_hold)} (n={r.pain_after_hold_n})",
        ]
        for r in rows
    ]
    columns = ["Side", "Releases", "Tender", "Mean pressure (0-10)", "Mean leg pain after the hold (0-10)"]
    return Chart(chart_id, title, desc, _svg(chart_id, title, desc, width, height, "".join(body)), columns, table)


def sparkline_chart(days: list[DailyPain], chart_id: str = "week-chart") -> Chart:
    title = f"Leg pain before sessions, last {len(days)} days"
    width, height = 300, 110
    frame = _Frame(width, height, left=24, right=6, top=8, bottom=24)
    n = max(len(days), 1)
    slot = (frame.x1 - frame.x0) / n
    frame.font = NARROW_FONT
    body = [frame.y_axis((0, 5, 10))]
    for i, d in enumerate(days):
        cx = frame.x0 + slot * (i + 0.5)
        body.append(_text(cx, height - 5, f"{d.date:%a}"[:2], size=NARROW_FONT))
        if d.before is None:
            body.append(_text(cx, frame.y0 - 3, "·", size=NARROW_FONT))
            continue
        yy = frame.y(d.before)
        body.append(
            f'<rect x="{_fmt(cx - slot * 0.3)}" y="{_fmt(yy)}" width="{_fmt(slot * 0.6)}" '
            f'height="{_fmt(max(frame.y0 - yy, 0.8))}" fill="{BEFORE}"/>'
        )
    befores = [d.before for d in days if d.before is not None]
    desc = f"{len(befores)} of {len(days)} days have a leg pain score before a session" + (
        f"; mean {num(fmean(befores))} out of 10." if befores else ". No leg pain scores yet."
    )
    rows = [[_day(d.date, True), num(d.before), str(d.sessions)] for d in days]
    svg = _svg(chart_id, title, desc, width, height, "".join(body))
    return Chart(chart_id, title, desc, svg, ["Date", "Leg pain before (mean)", "Sessions"], rows)
