"""journal:trends: the range selector, the six sections, the change callout, errors, ownership and htmx."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import PrecautionProfile
from journal.models import SafetyAnswer, SessionStatus
from routines.models import Point
from tests.factories import make_release, on_day

pytestmark = pytest.mark.django_db
URL = reverse("journal:trends")


def test_anonymous_is_sent_to_log_in(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_post_is_not_allowed(owner_client):
    assert owner_client.post(URL).status_code == 405


def test_empty_state_gives_guidance(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200 and "Nothing to show for this period yet" in response.text
    assert "<svg" not in response.text.split("Nothing to show")[1].split("</main>")[0]


def test_all_six_sections_with_hand_checked_figures(owner, owner_client):
    glute = Point.objects.get(slug="glute-top")
    for n, (before, after) in enumerate([(6, 4), (5, 5), (4, 2)]):
        s = on_day(owner, 2 - n, pain_before=before, pain_after=after)
        make_release(
            s, 1, point_id=glute.pk, point_name=glute.name, side="left", tender=n != 1, pressure=4 + n, pain_now=after
        )
    response = owner_client.get(URL)
    html = response.text
    for heading in (
        "1. Pain over time",
        "2. Change within a session",
        "3. Points and sides",
        "4. Left against right",
        "5. Days with a session",
        "6. How often each spot was tender",
    ):
        assert heading in html
    pain_rows = response.context["pain_chart"].rows
    assert [r[1:4] for r in pain_rows] == [["6.0", "4.0", "6.0"], ["5.0", "5.0", "5.5"], ["4.0", "2.0", "5.0"]]
    assert [r[1] for r in response.context["change_chart"].rows] == ["-2.0", "0.0", "-2.0"]
    # Glute top, left: tender on 2 of 3, pressure (4 + 5 + 6) / 3 = 5.0, pain after (4 + 5 + 2) / 3 = 3.7
    assert "Glute, top, left" in html and "67%" in html and "(n=3)" in html
    row = response.context["points"][0]
    assert (row.tender_percent, row.mean_pressure, round(row.mean_pain_after_hold, 1)) == (67, 5.0, 3.7)
    assert "on <strong>3 days</strong> with a session" in html and "streak" not in html.lower()
    assert "order of the steps" in html and "painful side is expected" in html.replace("<", " ")
    assert "sort=pain" not in html  # nothing invites ranking the points by their effect
    assert "body-map-mark shade-3" in html  # 2/3 tender -> shade int(0.667 * 5) = 3
    assert "No comparison yet" in html  # 3 days with data is not enough for a baseline and a recent window
    assert "style=" not in html


def test_range_selector_limits_the_data(owner, owner_client):
    on_day(owner, 10, pain_before=3)
    on_day(owner, 60, pain_before=9)
    assert len(owner_client.get(URL, {"range": "30"}).context["trend"].days) == 1
    assert len(owner_client.get(URL, {"range": "90"}).context["trend"].days) == 2
    assert len(owner_client.get(URL).context["trend"].days) == 2  # 90 days by default
    today = owner.profile.local_date()
    custom = owner_client.get(
        URL, {"range": "custom", "start": str(today - timedelta(days=70)), "end": str(today - timedelta(days=50))}
    )
    assert [d.before for d in custom.context["trend"].days] == [9.0]
    assert owner_client.get(URL, {"range": "all"}).context["start"] is None


def test_all_time_starts_at_the_first_session_even_one_not_completed(owner, owner_client):
    first = on_day(owner, 20, status=SessionStatus.ABANDONED, pain_before=6)
    on_day(owner, 5, pain_before=4)
    response = owner_client.get(URL, {"range": "all"})
    assert response.context["first_day"] == first.local_date
    assert f"All time, from {first.local_date:%a %-d %b %Y}" in response.text


def test_dates_without_a_range_are_a_custom_period_and_say_so(owner, owner_client):
    on_day(owner, 200, pain_before=9)
    on_day(owner, 10, pain_before=3)
    end_only = owner_client.get(URL, {"end": str(owner.profile.local_date() - timedelta(days=100))})
    assert end_only.context["choice"] == "custom" and end_only.context["start"] is None
    assert [d.before for d in end_only.context["trend"].days] == [9.0]
    assert 'id="range-custom" value="custom" checked' in end_only.text
    assert owner_client.get(URL).context["choice"] == "90"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"range": "custom"}, "For a custom period, give a start date"),
        ({"range": "custom", "start": "2026-02-30"}, "Enter a real date"),
        ({"range": "custom", "start": "2026-03-10", "end": "2026-03-01"}, "must be on or before"),
        ({"range": "forever"}, "Select a valid choice"),
        ({"baseline_start": "2026-01-01"}, "A baseline period needs both"),
        ({"baseline_start": "2026-02-01", "baseline_end": "2026-01-01"}, "baseline must start on or before"),
        ({"sort": "evil"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_clear_422(owner_client, params, message):
    response = owner_client.get(URL, params)
    assert response.status_code == 422 and message in response.text
    assert "showing the last 90 days" in response.text


def test_points_table_sorts_by_get_param(owner, owner_client):
    a, b = Point.objects.get(slug="glute-top"), Point.objects.get(slug="glute-side")
    s = on_day(owner, 1)
    make_release(s, 1, point_id=a.pk, point_name=a.name, side="left", tender=False, pressure=8)
    make_release(s, 2, point_id=b.pk, point_name=b.name, side="left", tender=True, pressure=2)
    by_name = owner_client.get(URL).context["points"]
    assert [r.point_name for r in by_name] == [b.name, a.name]  # "Side of ..." before "Top of ..."
    assert [r.point_name for r in owner_client.get(URL, {"sort": "pressure"}).context["points"]] == [a.name, b.name]
    html = owner_client.get(URL, {"sort": "tender"}).text
    assert [r.point_name for r in owner_client.get(URL, {"sort": "tender"}).context["points"]] == [b.name, a.name]
    assert 'aria-sort="descending"><a class="sort-link d-none d-sm-inline-flex" href="?sort=tender">Tender' in html
    # On a phone the heads keep their words without links; the buttons above the table sort, the current marked.
    assert '<span class="d-sm-none">Tender</span>' in html
    assert 'href="?sort=tender" aria-current="true">How often tender</a>' in html


def test_meaningful_change_callout_with_baseline(owner, owner_client):
    for n in range(20, 13, -1):
        on_day(owner, n, pain_before=6)
    for n in range(6, -1, -1):
        on_day(owner, n, pain_before=3)
    html = owner_client.get(URL).text
    assert "Leg pain lower by an amount IMMPACT calls substantial" in html and "much improved" in html
    assert "3.0 points lower" in html and "(50% lower)" in html
    assert "cannot show that pressing helped" in html and "the first days with a score in this period" in html


def test_user_chosen_baseline(owner, owner_client):
    for n, pain in [(9, 8), (8, 8), (7, 8), (3, 6), (2, 6), (1, 6)]:
        on_day(owner, n, pain_before=pain)
    today = owner.profile.local_date()
    response = owner_client.get(
        URL, {"baseline_start": str(today - timedelta(days=9)), "baseline_end": str(today - timedelta(days=7))}
    )
    change = response.context["change"]
    assert change.baseline_chosen and change.baseline_mean == 8.0 and change.recent_mean == 6.0
    assert "2.0 points lower" in response.text and "(25% lower)" in response.text
    assert change.label == "" and "Choosing a bad week" in response.text and "IMMPACT calls" not in response.text


def test_red_flag_replaces_the_callout_with_safety_advice(owner, owner_client):
    for n in range(20, 13, -1):
        on_day(owner, n, pain_before=6)
    for n in range(6, -1, -1):
        on_day(owner, n, pain_before=3)
    on_day(owner, 1, hour=20, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES)
    html = owner_client.get(URL).text
    assert "Stop and get help now" in html and "not showing a pain comparison" in html
    assert "IMMPACT calls" not in html


def test_other_users_data_never_shows(owner, other_user, owner_client):
    on_day(other_user, 1, pain_before=9)
    response = owner_client.get(URL)
    assert response.context["trend"].days == [] and "Nothing to show" in response.text


def test_htmx_gets_only_the_trends_partial(owner, owner_client, htmx_headers):
    on_day(owner, 1, pain_before=4)
    response = owner_client.get(URL, {"range": "30"}, headers=htmx_headers)
    assert response.status_code == 200 and response.text.lstrip().startswith('<div id="trends">')
    assert "<html" not in response.text and "Choose a period" not in response.text


def test_periods_longer_than_a_year_are_charted_by_week(owner, owner_client):
    for n in range(0, 500, 3):
        on_day(owner, n, pain_before=5, pain_after=4)
    long = owner_client.get(URL, {"range": "all"})
    assert long.context["period"].unit == "week"
    assert "each point is a week" in long.text and "as a weekly mean" in long.text
    rows = long.context["pain_chart"].rows
    assert long.context["pain_chart"].columns[0] == "Week from"
    assert len(rows) <= 500 // 7 + 2 and all(r[1] == "5.0" for r in rows)
    assert long.context["weekly_chart"].title == "Completed sessions per week"
    short = owner_client.get(URL, {"range": "90"})
    assert short.context["period"].unit == "day" and short.context["pain_chart"].columns[0] == "Date"


def test_periods_longer_than_three_years_are_charted_by_month(owner, owner_client):
    for n in range(0, 1200, 10):
        on_day(owner, n, pain_before=6, pain_after=3)
    response = owner_client.get(URL, {"range": "all"})
    assert response.context["period"].unit == "month"
    assert "each point is a month" in response.text and "as a monthly mean" in response.text
    pain = response.context["pain_chart"]
    assert pain.columns[0] == "Month" and len(pain.rows) <= 1200 // 28 + 2
    assert all(row[1] == "6.0" and row[2] == "3.0" for row in pain.rows)
    assert response.context["change_chart"].columns[0] == "Month"
    axis = re.findall(r">([^<]*\d{4})</text>", str(pain.svg))
    assert len(axis) >= 3 and all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", label) for label in axis)  # "May 2024"
    sessions = response.context["weekly_chart"]
    assert sessions.title == "Completed sessions per month" and sessions.columns == ["Month", "Sessions"]
    assert sum(int(n) for _, n in sessions.rows) == 120


def test_pressures_above_the_light_limit_are_counted_for_those_who_need_light_pressure(owner, owner_client):
    """Blood thinners or a bleeding disorder call for light pressure (about 3): pressures above it are adverse for
    them, and the trends page counts them. Only theirs: the count stays off everyone else's page."""
    glute = Point.objects.get(slug="glute-top")
    for n, pressure in enumerate([3, 4, 6, 8]):
        make_release(on_day(owner, n), 1, point_id=glute.pk, point_name=glute.name, side="left", pressure=pressure)
    assert "data-above-light-count" not in owner_client.get(URL).text
    PrecautionProfile.objects.create(user=owner, blood_thinners=True)
    html = owner_client.get(URL).text
    assert "Pressures above 3 in this period: 3." in html
    assert "Adverse responses in this period: 1" in html  # the pressure above 7, as for everyone
