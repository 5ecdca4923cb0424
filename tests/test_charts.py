"""journal.trends.charts: accessible, CSP-safe SVG whose table holds the same numbers as the drawing."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from journal.trends import aggregates, charts, meaningful, series

SVG = "{http://www.w3.org/2000/svg}"
D = date(2026, 3, 2)  # a Monday


def dp(n, before=None, after=None, change=None, sessions=1):
    return aggregates.DailyPain(D + timedelta(days=n), before, after, change, sessions)


def trend(days, rolling=None, baseline=None):
    return series.PainTrend(
        days=days,
        rolling=rolling if rolling is not None else aggregates.rolling_mean([(d.date, d.before) for d in days]),
        baseline_mean=baseline,
        change=meaningful.Change(),
    )


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own markup; well-formed XML, or this raises


def assert_accessible_and_csp_safe(chart: charts.Chart):
    root = parse(chart)
    markup = str(chart.html())
    assert "style=" not in markup and "<style" not in markup and "<script" not in markup
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").text == chart.desc
    assert f'<table class="table table-sm chart-table" id="{chart.id}-table"><caption>' in markup
    return root


def side_row(side: str, *figures) -> aggregates.SideRow:
    names = (
        "releases",
        "tender_n",
        "tender_yes",
        "mean_pressure",
        "pressure_n",
        "mean_pain_after_hold",
        "pain_after_hold_n",
    )
    return aggregates.SideRow(side=side, **dict(zip(names, figures, strict=True)))


def all_charts():
    days = [dp(0, 6, 4, -2.0, 2), dp(1, 5, None, None), dp(3, 3, 2, -1.0)]
    adherence = aggregates.Adherence(None, D + timedelta(days=13), {D: 1, D + timedelta(days=8): 3}, 1, 1, [])
    adherence = aggregates.Adherence(
        adherence.start, adherence.end, adherence.days, 1, 1, [(D, 1), (D + timedelta(days=7), 3)]
    )
    sides = [
        side_row("left", 4, 3, 2, 5.0, 3, 3.0, 3),
        side_row("right", 0, 0, 0, None, 0, None, 0),
    ]
    return [
        charts.pain_chart(trend(days, baseline=5.5)),
        charts.change_chart(days),
        charts.weekly_chart(adherence),
        charts.heatmap_chart(aggregates.calendar_heatmap(adherence.days, D, D + timedelta(days=13))),
        charts.side_chart(sides),
        charts.sparkline_chart([dp(i, before=i if i % 2 else None, sessions=i % 2) for i in range(7)]),
    ]


@pytest.mark.parametrize("index", range(6))
def test_every_chart_is_accessible_valid_svg_without_inline_styles(index):
    assert_accessible_and_csp_safe(all_charts()[index])


def test_pain_chart_numbers_match_the_table_and_the_drawing():
    days = [dp(0, 6, 4, -2.0, 2), dp(1, 5, None, None), dp(3, 3, 2, -1.0)]
    chart = charts.pain_chart(trend(days, baseline=5.0))
    assert chart.columns[:4] == [
        "Date",
        "Leg pain before (mean)",
        "Leg pain after (mean)",
        "7-day mean of leg pain before",
    ]
    assert chart.rows == [
        ["2 Mar 2026", "6.0", "4.0", "6.0", "2"],
        ["3 Mar 2026", "5.0", "–", "5.5", "1"],
        ["5 Mar 2026", "3.0", "2.0", "4.7", "1"],  # (6 + 5 + 3) / 3
    ]
    # Plot area: y = 228 - value / 10 * 200; x from 40 (2 Mar) to 628 (5 Mar).
    root = parse(chart)
    circles = [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert circles == [("40", "108"), ("236", "128"), ("628", "168")]
    baseline = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray") == "2 4"]
    assert baseline and baseline[0].get("y1") == "128"
    assert "Baseline: 5.0" in chart.desc and "3 days with sessions" in chart.desc
    assert "<td>4.7</td>" in str(chart.table_html())


def test_pain_chart_breaks_the_line_where_a_value_is_missing():
    days = [dp(0, 6, 4), dp(1, 5, None), dp(2, 4, 3), dp(3, 3, 2)]
    root = parse(charts.pain_chart(trend(days, rolling=[])))
    after_lines = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == charts.AFTER]
    assert len(after_lines) == 1 and len(after_lines[0].get("points").split()) == 2  # days 2 and 3 only


def test_pain_chart_drops_markers_for_long_ranges():
    days = [dp(i, 5, 4) for i in range(200)]
    root = parse(charts.pain_chart(trend(days)))
    assert list(root.iter(f"{SVG}circle")) == []
    assert len(charts.pain_chart(trend(days)).rows) == 200


def test_change_chart_bars_by_hand():
    chart = charts.change_chart([dp(0, change=-2.0), dp(1, change=None), dp(2, change=1.0)])
    # extent 2 -> frame y from -2..2 over 188..28; zero at 108; -2 -> 188, +1 -> 68
    rects = [(r.get("y"), r.get("height"), r.get("fill")) for r in parse(chart).iter(f"{SVG}rect")]
    assert rects == [("108", "80", charts.LOWER), ("68", "40", charts.HIGHER)]
    assert chart.rows == [["2 Mar 2026", "-2.0", "1"], ["4 Mar 2026", "1.0", "1"]]
    assert "Mean: -0.5 points" in chart.desc


def test_heatmap_cells_have_titles_and_levels():
    counts = {D: 1, D + timedelta(days=1): 4}
    chart = charts.heatmap_chart(aggregates.calendar_heatmap(counts, D, D + timedelta(days=6)))
    cells = [r for r in parse(chart).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(cells) == 7
    assert [c.get("fill") for c in cells[:3]] == [charts.HEAT[1], charts.HEAT[3], "none"]
    assert cells[1].find(f"{SVG}title").text == "3 Mar 2026: 4 sessions"
    assert chart.rows == [["2 Mar 2026", "1"], ["3 Mar 2026", "4"]]
    assert "2 of 7 days" in chart.desc and "5 sessions in all" in chart.desc


def test_side_chart_percentages_and_n():
    sides = [side_row("left", 4, 3, 2, 5.0, 3, 3.0, 3), side_row("right", 2, 2, 0, 2.0, 1, None, 0)]
    chart = charts.side_chart(sides)
    assert chart.rows == [
        ["Left", "4", "67% (n=3)", "5.0 (n=3)", "3.0 (n=3)"],
        ["Right", "2", "0% (n=2)", "2.0 (n=1)", "– (n=0)"],
    ]
    texts = [t.text for t in parse(chart).iter(f"{SVG}text")]
    assert "67%" in texts and "0%" in texts


def test_sparkline_marks_days_without_data():
    days = [dp(i, before=4 if i == 2 else None, sessions=1 if i == 2 else 0) for i in range(7)]
    chart = charts.sparkline_chart(days)
    assert chart.title == "Leg pain before sessions, last 7 days"
    assert "1 of 7 days" in chart.desc and "mean 4.0 out of 10" in chart.desc
    assert len([r for r in parse(chart).iter(f"{SVG}rect")]) == 1


@pytest.mark.parametrize(
    ("chart", "message"),
    [
        (lambda: charts.pain_chart(trend([])), "No leg pain scores"),
        (lambda: charts.change_chart([dp(0, 3)]), "No sessions with leg pain before and after"),
        (lambda: charts.weekly_chart(aggregates.Adherence(None, D, {}, 0, 0, [(D, 0)])), "No completed sessions"),
        (lambda: charts.side_chart([side_row("left", 0, 0, 0, None, 0, None, 0)]), "No releases"),
    ],
)
def test_empty_charts_say_so(chart, message):
    made = chart()
    assert_accessible_and_csp_safe(made)
    assert message in made.desc and message in str(made.svg)


def test_text_is_escaped():
    chart = charts.Chart("x", "<b>", "&", charts._svg("x", "<b>", "&", 10, 10, ""), ["a"], [["<i>"]])
    assert "<b>" not in str(chart.html()) and "&lt;i&gt;" in chart.table_html()
    assert re.search(r"<title id=\"x-title\">&lt;b&gt;</title>", str(chart.svg))


def test_table_escapes_every_cell_and_keeps_safe_markup():
    """The table is built with a fast escape (thousands of cells for "all"): text is escaped, safe markup kept."""
    from django.utils.safestring import mark_safe

    from journal.trends.charts import Chart

    chart = Chart(
        id='c"1', title="<Pain & more>", desc="", svg=mark_safe("<svg></svg>"), columns=["Day", "<i>n</i>"],
        rows=[["<script>x</script>", mark_safe("<abbr>5</abbr>"), "'quoted'"]],
    )  # fmt: skip
    table = chart.table_html()
    assert '<th scope="row">&lt;script&gt;x&lt;/script&gt;</th>' in table
    assert "<td><abbr>5</abbr></td><td>&#x27;quoted&#x27;</td>" in table
    assert '<th scope="col">&lt;i&gt;n&lt;/i&gt;</th>' in table
    assert 'id="c&quot;1-table"' in table and "<caption>&lt;Pain &amp; more&gt;</caption>" in table
    assert "<script>" not in table


def test_counts_in_chart_descriptions_agree_with_their_number():
    assert charts.counted(1, "day") == "1 day" and charts.counted(3, "week") == "3 weeks"
    assert charts.counted(0, "day") == "0 days"
