"""The practitioner report's pain chart: leg pain (and back pain, when the person logged it) before and after
sessions, one point a day for periods up to about three months and one a Monday-based week beyond.

Drawn small enough for page one and with text large enough to read on paper: the report prints the chart across
the full text width (at least 184 mm, A4 less its margins), so one unit of the viewBox prints at
PRINT_WIDTH_PT / WIDTH points and every label's font size is chosen to print at MIN_PRINTED_PT or more.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from statistics import fmean

from journal.trends.charts import (
    AFTER,
    BEFORE,
    NARROW,
    NARROW_FONT,
    PERIODS,
    Chart,
    _Frame,
    _legend,
    _line,
    _polylines,
    _svg,
    _text,
    counted,
    num,
)

WIDTH, HEIGHT = 560, 132
PRINT_WIDTH_PT = 184 / 25.4 * 72  # the narrowest text width the PDF prints the chart at (A4, 13 mm margins)
MIN_PRINTED_PT = 8
FONT = 10  # prints at about 9.3 pt
NARROW_HEIGHT = 220  # the phone variant: NARROW units wide, drawn about 1:1 in a 390 px column
WEEKLY_AFTER_DAYS = 92  # about three months
DOTS_UP_TO = 31  # points a chart has a dot on each of; a longer one has dots only where no line passes
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # as static/css/report.css
BACK = "#CC79A7"  # reddish purple (Okabe-Ito), told apart from leg pain by its dots too


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _group(values: dict[date, float], weekly: bool) -> dict[date, float]:
    """Daily means -> the mean of each week's daily means (each day counts once), keyed by the week's Monday."""
    if not weekly:
        return values
    weeks: dict[date, list[float]] = defaultdict(list)
    for day, value in values.items():
        weeks[_monday(day)].append(value)
    return {week: fmean(members) for week, members in weeks.items()}


def report_pain_chart(
    leg_before: dict[date, float],
    leg_after: dict[date, float],
    back_before: dict[date, float],
    period_days: int,
    chart_id: str = "report-pain-chart",
    period_end: date | None = None,
    with_narrow: bool = False,
) -> Chart | None:
    """Daily means of the scores (local date -> mean 0-10) regrouped by week when the period and the scores span
    more than WEEKLY_AFTER_DAYS days. None when there is no score at all. Back pain is drawn only when it was logged.

    The lines break where a day (a week) has no score, so that a gap never reads as a trend. In a weekly chart the
    week of `period_end` is left out when the period stops before its Sunday: a mean of a few days would read as a
    dip or a rise; the caption says so. `with_narrow` adds the phone's drawing (the share page; the PDF has no use
    for it)."""
    days = [d for values in (leg_before, leg_after, back_before) for d in values]
    # Weekly when the scores span over about three months (a long period with a few weeks of scores stays daily).
    weekly = bool(days) and min(period_days, (max(days) - min(days)).days + 1) > WEEKLY_AFTER_DAYS
    series = [
        ("Leg pain before", BEFORE, "", _group(leg_before, weekly)),
        ("Leg pain after", AFTER, "6 4", _group(leg_after, weekly)),
    ]
    if back_before:
        series.append(("Back pain before", BACK, "2 3", _group(back_before, weekly)))
    keys = sorted({d for *_, values in series for d in values})
    if not keys:
        return None
    partial_note = ""
    if weekly and period_end is not None and period_end.weekday() != 6 and len(keys) > 1:
        part_week = _monday(period_end)
        if keys[-1] == part_week:
            keys.pop()
            days_in = (period_end - part_week).days + 1
            partial_note = (
                f" The week from {part_week.day} {part_week:%b %Y} is left out: the period ends on its day "
                f"{days_in} of 7, and a part week would read as a change."
            )
            series = [
                (label, colour, dash, {d: v for d, v in values.items() if d != part_week})
                for label, colour, dash, values in series
            ]
    period = PERIODS["week" if weekly else "day"]
    title = f"{period.adjective} mean pain before and after sessions (0-10)"
    first, last = keys[0], keys[-1]
    leg = list(series[0][3].values())
    mean_leg = num(fmean(leg) if leg else None)
    desc = (
        f"{period.adjective} mean pain before and after sessions, {first.day} {first:%b %Y} to {last.day} "
        f"{last:%b %Y}, {counted(len(keys), period.unit)} with a score. "
        f"Mean leg pain before: {mean_leg}.{partial_note}"
    )
    rows = [[period.label(d), *(num(values.get(d)) for *_, values in series)] for d in keys]
    columns = [period.column, *(label for label, *_ in series)]
    wide_body = _body(series, keys, weekly, _Frame(WIDTH, HEIGHT, left=34, right=10, top=22, bottom=24), FONT, 6)
    # The report's one font family, in the PDF as on the share page (the charts elsewhere use the system's).
    svg = _svg(chart_id, title, desc, WIDTH, HEIGHT, wide_body, font_family=FONT_FAMILY)
    narrow = None
    if with_narrow:
        # The share page on a phone shows a drawing made for its column (as the trends page does), so that the axis
        # text is at least 12 CSS px at 390 px instead of about 7; the PDF has the wide one only.
        narrow_frame = _Frame(
            NARROW, NARROW_HEIGHT, left=30, right=10, top=22 + 16 * len(series), bottom=26, font=NARROW_FONT
        )
        narrow_body = _body(series, keys, weekly, narrow_frame, NARROW_FONT, 3)
        narrow = _svg(chart_id, title, desc, NARROW, NARROW_HEIGHT, narrow_body, narrow=True, font_family=FONT_FAMILY)
    return Chart(chart_id, title, desc, svg, columns, rows, narrow)


def _isolated(keys: list[date], values: dict[date, float], step: int) -> dict[date, float]:
    """The points of `values` with no scored neighbour at most `step` days before or after (on `keys`)."""
    found = {}
    for i, d in enumerate(keys):
        if d not in values:
            continue
        before = i > 0 and keys[i - 1] in values and (d - keys[i - 1]).days <= step
        after = i + 1 < len(keys) and keys[i + 1] in values and (keys[i + 1] - d).days <= step
        if not (before or after):
            found[d] = values[d]
    return found


def _body(
    series: list[tuple[str, str, str, dict[date, float]]],
    keys: list[date],
    weekly: bool,
    frame: _Frame,
    font: int,
    max_ticks: int,
) -> str:
    """The drawing inside `frame`: grid, axis labels at `font` units, one line (and dots) per series, legend."""
    first, last = keys[0], keys[-1]
    x = frame.date_x(first, last)
    body = []
    for tick in range(0, 11, 2):
        yy = frame.y(tick)
        body.append(_line(frame.x0, yy, frame.x1, yy, opacity="0.15"))
        body.append(_text(frame.x0 - 5, yy + 3.5, str(tick), anchor="end", size=font))
    body.append(_line(frame.x0, frame.y0, frame.x1, frame.y0, opacity="0.5"))
    span = (last - first).days
    ticks = 1 if span == 0 else min(max_ticks, len(keys))
    for i in range(ticks):
        d = first if ticks == 1 else date.fromordinal(first.toordinal() + round(i * span / (ticks - 1)))
        anchor = "middle" if ticks == 1 else ("start" if i == 0 else "end" if i == ticks - 1 else "middle")
        label = f"{d.day} {d:%b %Y}" if span > 300 or i in (0, ticks - 1) else f"{d.day} {d:%b}"
        body.append(_line(x(d), frame.y0, x(d), frame.y0 + 3, opacity="0.5"))
        body.append(_text(x(d), frame.y0 + 15, label, anchor=anchor, size=font))
    step = 7 if weekly else 1
    for _label, colour, dash, values in series:
        points: list[tuple[float, float | None]] = []
        previous = None
        for d in keys:
            if previous is not None and (d - previous).days > step:
                points.append((x(d), None))  # days (weeks) with no session between: no line across them
            points.append((x(d), frame.y(values[d]) if d in values else None))
            previous = d
        body.append(_polylines(points, colour, 1.6, dash))
        # A dot for every point of a short chart; in a longer one only where no line passes (a day or week with
        # no scored neighbour), which would otherwise not show at all. Each dot costs the PDF as much as a log line.
        dotted = values if len(keys) <= DOTS_UP_TO else _isolated(keys, values, step)
        body += [f'<circle cx="{x(d):.1f}" cy="{frame.y(v):.1f}" r="2" fill="{colour}"/>' for d, v in dotted.items()]
    body.append(_legend([(label, colour, dash) for label, colour, dash, _ in series], frame.x0, 12, font, frame.x1))
    return "".join(body)
