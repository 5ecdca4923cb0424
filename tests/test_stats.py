"""journal.trends.stats: every figure against values worked out by hand on small fixtures."""

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from journal.models import SafetyAnswer, SessionStatus
from journal.trends import aggregates, meaningful, periods, series
from routines.models import Point
from tests.factories import make_release, make_session, make_user

pytestmark = pytest.mark.django_db

D = date(2026, 3, 1)  # a Sunday


def day(n: int) -> date:
    return D + timedelta(days=n - 1)


def on(user, n: int, hour: int = 12, status=SessionStatus.COMPLETED, **fields):
    """A session on local day n (noon UTC: the same date in UTC-based test users)."""
    started = datetime(day(n).year, day(n).month, day(n).day, hour, tzinfo=UTC)
    return make_session(user, started_at=started, status=status, **fields)


# Daily pain and rolling mean -------------------------------------------------------------------------------------


def test_daily_pain_means_per_local_date(owner, other_user):
    on(owner, 1, 9, pain_before=6, pain_after=4)
    on(owner, 1, 18, pain_before=4, pain_after=4, status=SessionStatus.ABANDONED)
    on(owner, 3, pain_before=5)
    on(owner, 9, pain_before=1)
    on(other_user, 1, pain_before=10, pain_after=10)
    rows = aggregates.daily_pain(owner, day(1), day(5))
    assert rows == [
        # change: mean of (4-6, 4-4); pain counts from every session, "completed" only the completed ones
        aggregates.DailyPain(day(1), 5.0, 4.0, -1.0, sessions=2, completed=1),
        aggregates.DailyPain(day(3), 5.0, None, None, sessions=1, completed=1),
    ]


def test_daily_pain_unbounded_and_empty(owner):
    assert aggregates.daily_pain(owner) == []
    on(owner, 2, pain_before=3, pain_after=1)
    assert [(r.date, r.before, r.change) for r in aggregates.daily_pain(owner)] == [(day(2), 3.0, -2.0)]


def test_rolling_mean_uses_calendar_window():
    values = [(day(1), 2.0), (day(2), 4.0), (day(4), 6.0), (day(9), 8.0), (day(10), None), (day(11), 3.0)]
    assert aggregates.rolling_mean(values) == [
        (day(1), 2.0),
        (day(2), 3.0),  # (2 + 4) / 2
        (day(4), 4.0),  # (2 + 4 + 6) / 3
        (day(9), 7.0),  # days 3..9: 6 and 8
        (day(10), 7.0),  # days 4..10: 6 and 8 (day 10 itself has no value)
        (day(11), 5.5),  # days 5..11: 8 and 3
    ]
    assert aggregates.rolling_mean([(day(1), None)]) == [(day(1), None)]


def test_pain_trend_rolling_mean_counts_days_before_the_range(owner):
    on(owner, 4, pain_before=6)
    on(owner, 9, pain_before=8)
    trend = series.pain_trend(owner, start=day(8), end=day(10), today=day(10))
    assert [d.date for d in trend.days] == [day(9)]
    assert trend.rolling == [(day(9), 7.0)]  # day 4 lies in the window though outside the range


# Meaningful change -----------------------------------------------------------------------------------------------


def pain_days(user, values: dict[int, int]):
    for n, pain in values.items():
        on(user, n, pain_before=pain)


def callout_sentence(change) -> str:
    """The callout's sentence with the figures, as the trends page and the dashboard show it."""
    html = render_to_string("journal/_change_callout.html", {"change": change})
    return " ".join(strip_tags(re.search(r'<p class="mb-2" data-change-figures>(.*?)</p>', html, re.S)[1]).split())


def test_change_default_windows_moderate_decrease(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 4 for n in range(10, 17)})
    change = meaningful.meaningful_change(owner, today=day(17))
    assert (change.baseline_start, change.baseline_end, change.baseline_days) == (day(1), day(7), 7)
    assert (change.recent_start, change.recent_end, change.recent_days) == (day(10), day(16), 7)
    assert change.baseline_mean == 6.0 and change.recent_mean == 4.0
    assert change.points == Decimal("-2.0") and change.percent == Decimal("-33")
    assert change.shown and change.meaningful and change.band == "moderate" and change.direction == "lower"
    assert change.label == "Leg pain lower by an amount IMMPACT calls moderate"
    assert "much improved" in change.farrar_note
    sentence = callout_sentence(change)
    assert (
        "averaged 4.0 out of 10" in sentence
        and "against 6.0" in sentence
        and "2.0 points lower (33% lower)" in sentence
    )


def test_change_uses_mean_of_daily_means_and_rounds_half_up(owner):
    pain_days(owner, {1: 5, 2: 5, 3: 5})
    on(owner, 4, 9, pain_before=4)
    on(owner, 4, 18, pain_before=4)
    on(owner, 4, 20, pain_before=4)  # three sessions on one day count as one day
    pain_days(owner, {5: 3, 6: 3})
    change = meaningful.meaningful_change(owner, baseline=(day(1), day(3)), today=day(7))
    # recent: days 4, 5, 6 -> (4 + 3 + 3) / 3 = 3.333, shown 3.3; against 5.0: -1.7 points; -1.7 / 5.0 = -34%
    # (from the numbers as shown, so that they add up: not the -33.3% of the unrounded means)
    assert change.recent_days == 3 and change.points == Decimal("-1.7") and change.percent == Decimal("-34")
    assert change.meaningful and change.band == "moderate"


def test_change_three_day_minimum(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {8: 2, 9: 2})
    change = meaningful.meaningful_change(owner, today=day(10))
    assert change.recent_days == 2 and not change.shown and change.points is None and change.label == ""
    assert "at least 3 days" in change.reason
    pain_days(owner, {10: 2})
    change = meaningful.meaningful_change(owner, today=day(10))
    assert change.recent_days == 3 and change.shown and change.points == Decimal("-4.0")


@pytest.mark.parametrize(
    ("baseline", "recent", "words"),
    [
        (1, 0, "there is 1 day with a score in the baseline and none after it"),
        (2, 1, "there are 2 days with a score in the baseline and 1 day after it"),
        (0, 1, "there is none in the baseline and 1 day with a score after it"),
        (0, 3, "there are none in the baseline and 3 days with a score after it"),
        (0, 0, "there are no days with a score in either yet"),
    ],
)
def test_the_days_so_far_are_said_in_words(baseline, recent, words):
    assert meaningful.days_so_far(baseline, recent) == words


def test_the_reason_for_no_comparison_reads_as_a_sentence(owner):
    """Not "(baseline: 1, recent: 0)": the counts in words, plural-correct."""
    pain_days(owner, {1: 5})
    change = meaningful.meaningful_change(owner, today=day(2))
    assert "baseline:" not in change.reason and "recent:" not in change.reason
    assert "so far there is 1 day with a score in the baseline and none after it." in change.reason
    label = meaningful.Change(baseline_mean=5.0, baseline_days=1, recent_mean=3.0, recent_days=6, points=Decimal("-2"))
    assert "baseline:" not in label.no_label_reason
    assert "there is 1 day with a score in the baseline and 6 days after it" in label.no_label_reason


def test_change_needs_three_baseline_days_too(owner):
    pain_days(owner, {1: 5, 2: 5, 5: 3, 6: 3, 7: 3})
    change = meaningful.meaningful_change(owner, baseline=(day(1), day(4)), today=day(8))
    assert change.baseline_days == 2 and change.recent_days == 3 and not change.shown
    assert "baseline" in change.reason


def test_change_with_chosen_baseline_period_and_end(owner):
    pain_days(owner, {1: 8, 2: 8, 3: 8, 4: 2, 5: 2, 6: 2, 7: 5, 8: 5, 9: 5, 20: 0})
    change = meaningful.meaningful_change(owner, baseline=(day(4), day(6)), end=day(9), today=day(30))
    assert change.baseline_chosen and change.baseline_mean == 2.0 and change.recent_mean == 5.0
    assert change.points == Decimal("3.0") and change.percent == Decimal("150")
    assert change.direction == "higher" and change.label == "" and not change.labelled
    assert "chose the baseline period" in change.no_label_reason and "bad week" in change.no_label_reason


def test_change_with_zero_baseline_has_no_percent(owner):
    pain_days(owner, {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 1, 10: 1})
    change = meaningful.meaningful_change(owner, today=day(10))
    assert change.points == Decimal("1.0") and change.percent is None and not change.meaningful


def test_red_flag_in_recent_window_replaces_the_callout(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 3 for n in range(8, 11)})
    assert meaningful.meaningful_change(owner, today=day(11)).shown
    on(owner, 9, 20, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    change = meaningful.meaningful_change(owner, today=day(11))
    assert change.red_flag and not change.shown and change.enough_data


def test_red_flag_before_the_recent_window_does_not(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 3 for n in range(8, 11)})
    on(owner, 2, 20, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    assert not meaningful.meaningful_change(owner, today=day(11)).red_flag


def test_red_flag_after_last_pain_score_counts(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 3 for n in range(8, 11)})
    on(owner, 12, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)  # no pain score that day
    assert meaningful.meaningful_change(owner, today=day(12)).red_flag


def change_of(points: str, percent: str | None, **fields) -> meaningful.Change:
    figures = {"points": Decimal(points), "percent": None if percent is None else Decimal(percent)}
    windows = {"baseline_mean": 5.0, "baseline_days": 7, "recent_mean": 4.0, "recent_days": 7}
    return meaningful.Change(**{**windows, **figures, **fields})


LOWER = "Leg pain lower by an amount IMMPACT calls "


@pytest.mark.parametrize(
    ("points", "percent", "band", "meaningful", "label"),
    [
        ("-1.0", "-9", "none", False, "Little or no change"),
        ("-1.0", "-10", "minimal", False, LOWER + "minimally important"),
        ("-1.9", "-29", "minimal", False, LOWER + "minimally important"),
        ("-2.0", "-20", "minimal", True, LOWER + "minimally important"),
        ("-1.5", "-30", "moderate", True, LOWER + "moderate"),
        ("-1.9", "-49", "moderate", True, LOWER + "moderate"),
        ("-1.0", "-50", "substantial", True, LOWER + "substantial"),
        ("2.0", "25", "minimal", True, "Leg pain higher than in the baseline"),
        ("1.2", "30", "moderate", True, "Leg pain higher than in the baseline"),
    ],
)
def test_change_labels_at_exact_thresholds(points, percent, band, meaningful, label):
    change = change_of(points, percent)
    assert (change.band, change.meaningful, change.label) == (band, meaningful, label)
    assert "A increase" not in change.label and "Minimal" not in change.label
    # Farrar's figure is for drops only, and is said as what people in drug trials called "much improved".
    assert bool(change.farrar_note) == (meaningful and points.startswith("-"))


@pytest.mark.parametrize(
    ("fields", "labelled", "reason"),
    [
        # baseline mean: below 3 no label, 3 and up a label (on the mean as displayed, to 0.1)
        ({"baseline_mean": 2.94}, False, "under 3 out of 10"),
        ({"baseline_mean": 2.95}, True, ""),
        ({"baseline_mean": 3.0}, True, ""),
        # absolute change: under 1 point no label, 1 point a label
        ({"points": Decimal("-0.9"), "percent": Decimal("-18")}, False, "under 1 point"),
        ({"points": Decimal("0.9"), "percent": Decimal("18")}, False, "under 1 point"),
        ({"points": Decimal("-1.0"), "percent": Decimal("-20")}, True, ""),
        ({"points": Decimal("1.0"), "percent": Decimal("20")}, True, ""),
        # each window: 6 days with a score no label, 7 a label
        ({"baseline_days": 6}, False, "at least 7 days"),
        ({"recent_days": 6}, False, "at least 7 days"),
        ({"baseline_days": 7, "recent_days": 7}, True, ""),
        # a baseline the user picked: numbers only, with the note about a bad week
        ({"baseline_chosen": True}, False, "bad week"),
    ],
)
def test_label_rules_at_their_thresholds(fields, labelled, reason):
    base = {"baseline_mean": 5.0, "baseline_days": 7, "recent_mean": 3.5, "recent_days": 7}
    change = meaningful.Change(**{**base, "points": Decimal("-1.5"), "percent": Decimal("-30"), **fields})
    assert change.labelled is labelled and bool(change.label) is labelled
    assert (reason in change.no_label_reason) if reason else change.no_label_reason == ""
    html = render_to_string("journal/_change_callout.html", {"change": change})
    assert change.shown  # the numbers show either way
    assert ("Leg pain lower by" in html or "Leg pain higher than" in html) is labelled
    if reason:
        assert reason in html


def test_callout_states_numbers_first_then_the_caveat_as_plainly(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 3 for n in range(8, 15)})
    change = meaningful.meaningful_change(owner, today=day(15))
    html = render_to_string("journal/_change_callout.html", {"change": change})
    figures, label, caveat = (html.index(f"data-change-{part}") for part in ("figures", "label", "caveat"))
    assert figures < label < caveat
    caveat_tag = re.search(r"<p [^>]*data-change-caveat[^>]*>", html)[0]
    assert "small" not in caveat_tag and "secondary" not in caveat_tag
    text = " ".join(strip_tags(html).split())
    assert "settles by itself" in text and "regression to the mean" in text and "physiotherapy" in text
    assert "your first days with a score" in text


def test_the_callout_reads_its_windows_and_thresholds_from_the_rules(owner, monkeypatch):
    monkeypatch.setattr(meaningful, "IMMPACT_MODERATE", Decimal("35"))
    monkeypatch.setattr(meaningful, "MEANINGFUL_POINTS", Decimal("3"))
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 3 for n in range(8, 15)})
    change = meaningful.meaningful_change(owner, today=day(15))
    html = render_to_string("journal/_change_callout.html", {"change": change})
    text = " ".join(strip_tags(html).split())
    assert "35% or more moderate" in text and "about 3 points or 30%" in text
    monkeypatch.setattr(meaningful, "WINDOW_DAYS", 10)
    empty = render_to_string("journal/_change_callout.html", {"change": meaningful.Change()})
    assert "your last 10 days with a pain score" in empty


def test_first_days_are_only_called_so_when_they_are(owner):
    pain_days(owner, {n: 6 for n in range(1, 15)})
    pain_days(owner, {n: 3 for n in range(15, 25)})
    later = meaningful.meaningful_change(owner, start=day(10), today=day(25))
    assert not later.baseline_is_first_days
    html = render_to_string("journal/_change_callout.html", {"change": later})
    assert "your first days" not in html and "the first days with a score in this period" in html
    assert meaningful.meaningful_change(owner, today=day(25)).baseline_is_first_days


@pytest.mark.parametrize(("days_of_use", "recent", "prompt"), [(41, 5, False), (42, 5, True), (42, 3, False)])
def test_review_prompt_after_six_weeks_without_a_meaningful_drop(owner, days_of_use, recent, prompt):
    pain_days(owner, {n: 5 for n in range(1, 8)})
    pain_days(owner, {n: recent for n in range(30, 37)})
    change = meaningful.meaningful_change(owner, today=day(1 + days_of_use))
    assert change.suggest_review is prompt
    html = render_to_string("journal/_change_callout.html", {"change": change})
    assert ("physiotherapist or doctor" in html and "6 weeks" in html) is prompt


def test_change_wording_never_claims_a_cause(owner):
    pain_days(owner, {n: 6 for n in range(1, 8)})
    pain_days(owner, {n: 2 for n in range(8, 15)})
    change = meaningful.meaningful_change(owner, today=day(15))
    text = (change.label + callout_sentence(change)).lower()
    for word in ("because", "helped", "worked", "caused", "thanks to", "improved by"):
        assert word not in text


# Per point and side ----------------------------------------------------------------------------------------------


def test_point_side_stats_by_hand(owner, other_user):
    glute_top = Point.objects.get(slug="glute-top")
    session = on(owner, 1)
    common = {"point_id": glute_top.pk, "point_name": glute_top.name, "side": "left"}
    make_release(session, 1, tender=True, pressure=5, pain_now=4, **common)
    make_release(session, 2, tender=True, pressure=7, pain_now=None, **common)
    make_release(session, 3, tender=False, pressure=None, pain_now=2, **common)
    make_release(session, 4, tender=None, pressure=3, pain_now=3, **common)
    make_release(session, 5, skipped=True, tender=True, pressure=10, pain_now=10, **common)  # skipped: left out
    make_release(session, 6, tender=False, pressure=2, pain_now=1, **{**common, "side": "right"})
    make_release(on(owner, 5), 1, tender=True, pressure=9, pain_now=9, **common)  # outside the range
    make_release(on(other_user, 1), 1, tender=True, **common)
    rows = aggregates.point_side_stats(owner, day(1), day(2))
    left, right = rows
    assert (left.point_id, left.side, left.releases) == (glute_top.pk, "left", 4)
    assert (left.tender_yes, left.tender_n, left.tender_percent) == (2, 3, 67)
    assert (left.mean_pressure, left.pressure_n) == (5.0, 3)  # (5 + 7 + 3) / 3
    assert (left.mean_pain_after_hold, left.pain_after_hold_n) == (3.0, 3)  # (4 + 2 + 3) / 3
    assert (right.side, right.releases, right.tender_share, right.mean_pressure) == ("right", 1, 0.0, 2.0)
    assert [r.side for r in aggregates.point_side_stats(owner, day(1), day(2), sort="tender")] == ["left", "right"]
    assert [r.side for r in aggregates.point_side_stats(owner, day(1), day(2), sort="releases")] == ["left", "right"]
    assert [r.side for r in aggregates.point_side_stats(owner, day(1), day(2), sort="bogus")] == ["left", "right"]
    assert aggregates.tender_shares(aggregates.point_side_stats(owner, day(1), day(2))) == {
        (glute_top.pk, "left"): 2 / 3,
        (glute_top.pk, "right"): 0.0,
    }


def test_point_side_sort_puts_rows_without_figures_last(owner):
    a, b = Point.objects.builtin().order_by("order")[:2]
    session = on(owner, 1)
    make_release(session, 1, point_id=a.pk, point_name=a.name, side="left", pressure=None, tender=None)
    make_release(session, 2, point_id=b.pk, point_name=b.name, side="left", pressure=4, tender=True)
    assert [r.point_id for r in aggregates.point_side_stats(owner, sort="pressure")] == [b.pk, a.pk]
    assert [r.point_id for r in aggregates.point_side_stats(owner, sort="tender")] == [b.pk, a.pk]


def test_side_comparison_always_lists_both_sides(owner):
    left_only = on(owner, 1)
    make_release(left_only, 1, side="left", tender=True, pressure=6, pain_now=3)
    make_release(left_only, 2, side="left", tender=False, pressure=4, pain_now=5)
    rows = aggregates.sides_from_points(aggregates.point_side_stats(owner))
    assert [(r.side, r.releases, r.tender_percent, r.mean_pressure, r.mean_pain_after_hold) for r in rows] == [
        ("left", 2, 50, 5.0, 4.0),
        ("right", 0, None, None, None),
    ]


# Adherence and streaks -------------------------------------------------------------------------------------------


def test_streaks_by_hand():
    dates = [day(1), day(2), day(3), day(5), day(8), day(9)]
    assert aggregates.streaks(dates, today=day(10)) == (2, 3)  # today has none yet: the streak to yesterday is alive
    assert aggregates.streaks(dates, today=day(9)) == (2, 3)
    assert aggregates.streaks(dates, today=day(11)) == (0, 3)
    assert aggregates.streaks([*dates, day(10)], today=day(10)) == (3, 3)
    assert aggregates.streaks([], today=day(1)) == (0, 0)


def test_adherence_counts_completed_sessions_only(owner):
    for n in (1, 2, 3, 5, 8, 9):
        on(owner, n)
    on(owner, 9, 18)  # a second session the same day
    on(owner, 10, status=SessionStatus.IN_PROGRESS)
    on(owner, 7, status=SessionStatus.ABANDONED)
    result = aggregates.adherence(owner, day(1), day(10), today=day(10))
    assert (result.current_streak, result.longest_streak) == (2, 3)
    assert result.days == {day(1): 1, day(2): 1, day(3): 1, day(5): 1, day(8): 1, day(9): 2}
    assert result.sessions == 7 and result.active_days == 6
    # D is a Sunday: weeks start Mon 23 Feb (day 1), Mon 2 Mar (days 2, 3, 5, 8), Mon 9 Mar (day 9 twice)
    assert result.weeks == [(date(2026, 2, 23), 1), (date(2026, 3, 2), 4), (date(2026, 3, 9), 2)]


@pytest.mark.parametrize("start, end", [(None, day(10)), (day(3), day(9)), (day(8), day(8)), (day(11), day(12))])
def test_adherence_from_the_trend_days_equals_its_own_query(owner, django_assert_num_queries, start, end):
    for n in (1, 2, 3, 5, 8, 9):
        on(owner, n, pain_before=n % 4)
    on(owner, 9, 18)
    on(owner, 10, status=SessionStatus.IN_PROGRESS, pain_before=3)
    on(owner, 7, status=SessionStatus.ABANDONED)
    queried = aggregates.adherence(owner, start, end, today=day(10))
    trend = series.pain_trend(owner, start, end, today=day(10))
    # The days come from the trend; the streaks too when the range is the whole history up to today.
    with django_assert_num_queries(0 if start is None else 1):
        reused = aggregates.adherence(owner, start, end, today=day(10), daily=trend.days)
    assert reused == queried


@pytest.mark.parametrize(
    "baseline, start, end",
    [
        (None, None, None),
        (None, day(2), day(16)),
        (None, day(9), day(12)),
        ((day(3), day(6)), None, None),
        ((day(3), day(6)), day(2), day(16)),
        ((day(3), day(6)), day(5), day(16)),  # the baseline starts before the period: queried
        ((day(20), day(25)), None, None),
    ],
)
def test_change_from_the_trend_days_equals_its_own_queries(owner, django_assert_num_queries, baseline, start, end):
    pain_days(owner, {n: 7 - n // 3 for n in range(1, 17) if n not in (4, 11)})
    on(owner, 8, 18, pain_before=None)
    on(owner, 13, status=SessionStatus.ABANDONED, pain_before=1)
    queried = meaningful.meaningful_change(owner, baseline, start=start, end=end, today=day(17))
    days = series.pain_trend(owner, start, end, today=day(17)).days
    inside = baseline is None or start is None or baseline[0] >= start
    with django_assert_num_queries(1 if inside else 3):  # the red-flag check is always a query
        reused = meaningful.meaningful_change(owner, baseline, start=start, end=end, today=day(17), daily=days)
    assert reused == queried


def test_adherence_without_streaks_reads_nothing_more(owner, django_assert_num_queries):
    """The report shows no streaks, so it does not pay for the whole-history streak query."""
    for n in (1, 2, 3, 5):
        on(owner, n, pain_before=4)
    trend = series.pain_trend(owner, day(2), day(5), today=day(10))
    with django_assert_num_queries(0):
        result = aggregates.adherence(owner, day(2), day(5), today=day(10), daily=trend.days, with_streaks=False)
    assert (result.current_streak, result.longest_streak) == (None, None)
    assert result == replace(
        aggregates.adherence(owner, day(2), day(5), today=day(10)), current_streak=None, longest_streak=None
    )


def test_adherence_per_month_lists_every_month_of_the_range(owner):
    for n in (1, 2, 40):  # 1 and 2 March, 9 April
        on(owner, n)
    result = aggregates.adherence(owner, date(2026, 2, 20), date(2026, 5, 3), today=date(2026, 5, 3))
    assert result.per_period("month") == [
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 2),
        (date(2026, 4, 1), 1),
        (date(2026, 5, 1), 0),
    ]
    assert result.per_period("week") == result.weeks


def test_adherence_streaks_cover_history_but_days_the_range(owner):
    for n in (1, 2, 3, 4, 9):
        on(owner, n)
    result = aggregates.adherence(owner, day(8), day(9), today=day(9))
    assert (result.current_streak, result.longest_streak) == (1, 4)
    assert result.days == {day(9): 1}


def test_streak_across_dst_change(db):
    user = make_user("london", time_zone="Europe/London")
    london = ZoneInfo("Europe/London")
    # Clocks go forward at 01:00 UTC on 29 March 2026. 00:30 local on 28, 29 and 30 March:
    starts = [datetime(2026, 3, d, 0, 30, tzinfo=london) for d in (28, 29, 30)]
    sessions = [make_session(user, started_at=s, status=SessionStatus.COMPLETED) for s in starts]
    assert [s.local_date for s in sessions] == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]
    # In UTC the last two fall on the same date, so grouping by UTC date would break the streak.
    assert [s.astimezone(UTC).date().day for s in starts] == [28, 29, 29]
    result = aggregates.adherence(user, today=date(2026, 3, 30))
    assert (result.current_streak, result.longest_streak) == (3, 3)


def test_streak_across_autumn_dst_change_in_new_york(db):
    user = make_user("ny", time_zone="America/New_York")
    ny = ZoneInfo("America/New_York")
    # Clocks go back on 1 November 2026; 23:30 local each evening.
    for d in (31,):
        make_session(user, started_at=datetime(2026, 10, d, 23, 30, tzinfo=ny), status=SessionStatus.COMPLETED)
    for d in (1, 2):
        make_session(user, started_at=datetime(2026, 11, d, 23, 30, tzinfo=ny), status=SessionStatus.COMPLETED)
    result = aggregates.adherence(user, today=date(2026, 11, 2))
    assert (result.current_streak, result.longest_streak) == (3, 3)
    assert sorted(result.days) == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]


def test_streak_across_time_zone_change(db):
    user = make_user("traveller", time_zone="Asia/Tokyo")
    # 22:00 in Tokyo on 1 March (13:00 UTC) ...
    make_session(user, started_at=datetime(2026, 3, 1, 13, 0, tzinfo=UTC), status=SessionStatus.COMPLETED)
    user.profile.time_zone = "America/Los_Angeles"
    user.profile.save()
    # ... then 20:00 in Los Angeles on 2 March (04:00 UTC on 3 March): 39 hours later, yet the next local day.
    second = make_session(user, started_at=datetime(2026, 3, 3, 4, 0, tzinfo=UTC), status=SessionStatus.COMPLETED)
    assert second.local_date == date(2026, 3, 2)
    result = aggregates.adherence(user, today=user.profile.local_date(datetime(2026, 3, 3, 5, 0, tzinfo=UTC)))
    assert (result.current_streak, result.longest_streak) == (2, 2)


def test_calendar_heatmap_weeks_and_levels():
    counts = {date(2026, 3, 4): 1, date(2026, 3, 5): 2, date(2026, 3, 9): 5, date(2026, 3, 20): 1}
    weeks = aggregates.calendar_heatmap(counts, date(2026, 3, 4), date(2026, 3, 10))  # Wed to Tue
    assert [w[0].date for w in weeks] == [date(2026, 3, 2), date(2026, 3, 9)]
    flat = [c for w in weeks for c in w]
    assert len(flat) == 14
    assert [c.in_range for c in flat[:3]] == [False, False, True]
    assert [(c.count, c.level) for c in flat if c.in_range] == [(1, 1), (2, 2), (0, 0), (0, 0), (0, 0), (5, 3), (0, 0)]


def test_last_days_pain_has_every_day(owner):
    on(owner, 3, pain_before=4)
    on(owner, 3, 15, pain_before=6)
    days = aggregates.last_days_pain(owner, today=day(7))
    assert [d.date for d in days] == [day(n) for n in range(1, 8)]
    assert [d.before for d in days] == [None, None, 5.0, None, None, None, None]


def test_pain_trend_baseline_line_needs_three_days(owner):
    pain_days(owner, {1: 6, 2: 4})
    assert series.pain_trend(owner, today=day(3)).baseline_mean is None
    pain_days(owner, {3: 5})
    trend = series.pain_trend(owner, today=day(3))
    assert trend.baseline_mean == 5.0 and not trend.change.shown  # (6 + 4 + 5) / 3; no recent window yet


def test_period_summary_by_hand(owner, other_user):
    a = on(owner, 1, 9, pain_before=6, pain_after=4)
    on(owner, 1, 18, pain_before=4, status=SessionStatus.ABANDONED)
    on(owner, 3, pain_before=5, pain_after=None, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    on(owner, 9, pain_before=1)  # outside
    on(other_user, 2, pain_before=10)
    make_release(a, 1, tender=True)
    make_release(a, 2, tender=False)
    make_release(a, 3, tender=None, skipped=True)
    summary = aggregates.period_summary(owner, day(1), day(5))
    assert (summary.sessions, summary.completed, summary.days) == (3, 1, 2)
    assert (summary.first_day, summary.last_day) == (day(1), day(3))
    assert (summary.mean_leg_pain_before, summary.leg_pain_before_n) == (5.0, 3)  # (6 + 4 + 5) / 3
    assert (summary.mean_leg_pain_after, summary.leg_pain_after_n) == (4.0, 1)
    assert summary.red_flags == 1 and (summary.releases, summary.tender_n, summary.tender_share) == (2, 2, 0.5)
    empty = aggregates.period_summary(owner, day(20), day(30))
    assert (empty.sessions, empty.days, empty.mean_leg_pain_before, empty.tender_share) == (0, 0, None, None)


def test_current_streak_reads_a_window_and_falls_back_for_longer_streaks(owner, monkeypatch):
    from journal.models import Session

    today = date(2026, 6, 30)
    for n in range(12):  # twelve days in a row up to today, then a gap, then an older run
        make_session(owner, started_at=datetime.combine(today - timedelta(days=n), time(12), UTC), status="completed")
    make_session(owner, started_at=datetime.combine(today - timedelta(days=20), time(12), UTC), status="completed")
    assert aggregates.current_streak(owner, today) == 12 == aggregates.streaks_in_sql(owner, today)[0]
    assert aggregates.current_streak(owner, today + timedelta(days=1)) == 12  # alive until the end of the next day
    assert aggregates.current_streak(owner, today + timedelta(days=2)) == 0
    # A streak that fills the whole window is counted over the whole history instead.
    monkeypatch.setattr(aggregates, "CURRENT_STREAK_WINDOW", 5)
    assert aggregates.current_streak(owner, today) == 12
    assert Session.objects.count() == 13


def test_by_period_week_averages_daily_means_and_samples_the_rolling_mean():
    day = aggregates.DailyPain
    monday = date(2026, 3, 2)
    trend = series.PainTrend(
        days=[
            day(monday, 6.0, 4.0, -2.0, 2),
            day(monday + timedelta(days=2), 4.0, None, None, 1),
            day(monday + timedelta(days=8), 3.0, 2.0, -1.0, 1),
        ],
        rolling=[(monday, 6.0), (monday + timedelta(days=2), 5.0), (monday + timedelta(days=8), 3.5)],
        baseline_mean=5.0,
        change=None,
    )
    weekly = series.by_period(trend, "week")
    assert weekly.period == "week" and weekly.baseline_mean == 5.0
    assert [(d.date, d.before, d.after, d.change, d.sessions) for d in weekly.days] == [
        (monday, 5.0, 4.0, -2.0, 3),
        (monday + timedelta(days=7), 3.0, 2.0, -1.0, 1),
    ]
    assert weekly.rolling == [(monday, 5.0), (monday + timedelta(days=7), 3.5)]


def test_by_period_month_and_the_period_a_chart_uses():
    day_ = aggregates.DailyPain
    trend = series.PainTrend(
        days=[
            day_(date(2026, 1, 30), 6.0, 4.0, -2.0, 2, 1),
            day_(date(2026, 1, 31), 4.0, None, None, 1, 1),
            day_(date(2026, 2, 3), 3.0, 2.0, -1.0, 1, 0),
        ],
        rolling=[(date(2026, 1, 30), 6.0), (date(2026, 1, 31), 5.0), (date(2026, 2, 3), 4.3)],
        baseline_mean=None,
        change=None,
    )
    monthly = series.by_period(trend, "month")
    assert monthly.period == "month"
    assert [tuple(d) for d in monthly.days] == [
        (date(2026, 1, 1), 5.0, 4.0, -2.0, 3, 2),
        (date(2026, 2, 1), 3.0, 2.0, -1.0, 1, 0),
    ]
    assert monthly.rolling == [(date(2026, 1, 1), 5.0), (date(2026, 2, 1), 4.3)]
    assert series.by_period(trend, "day") is trend
    first = date(2020, 1, 1)
    assert periods.chart_period(first, first + timedelta(days=periods.WEEKLY_AFTER_DAYS)) == "day"
    assert periods.chart_period(first, first + timedelta(days=periods.WEEKLY_AFTER_DAYS + 1)) == "week"
    assert periods.chart_period(first, first + timedelta(days=periods.MONTHLY_AFTER_DAYS)) == "week"
    assert periods.chart_period(first, first + timedelta(days=periods.MONTHLY_AFTER_DAYS + 1)) == "month"


def test_side_means_are_weighted_over_every_release_of_the_side(owner):
    session = make_session(owner)  # glutes-only: steps alternate points, sides left, left, right, right
    for position, (pressure, pain, tender) in enumerate(
        [(3, 2, True), (7, None, False), (None, 6, None), (5, 5, True)], 1
    ):
        make_release(session, position, pressure=pressure, pain_now=pain, tender=tender)
    sides = {r.side: r for r in aggregates.sides_from_points(aggregates.point_side_stats(owner))}
    by_side: dict[str, list] = {"left": [], "right": []}
    for release in session.releases.all():
        by_side[release.side].append(release)
    for side, releases in by_side.items():
        row = sides[side]
        pressures = [r.pressure for r in releases if r.pressure is not None]
        pains = [r.pain_now for r in releases if r.pain_now is not None]
        assert row.releases == len(releases)
        assert row.tender_n == sum(r.tender is not None for r in releases)
        assert row.tender_yes == sum(r.tender is True for r in releases)
        assert row.mean_pressure == (pytest.approx(sum(pressures) / len(pressures)) if pressures else None)
        assert row.mean_pain_after_hold == (pytest.approx(sum(pains) / len(pains)) if pains else None)
    assert sum(r.releases for r in sides.values()) == 4
