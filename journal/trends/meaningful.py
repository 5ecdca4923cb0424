"""The meaningful-change rules and their wording: the recent week of leg pain against a baseline, with the
published thresholds (Farrar 2001; IMMPACT, Dworkin 2008), the rules that withhold a label, and the red-flag and
review checks. Never cause and effect: the callout says why the numbers cannot show that pressing helped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Avg

from journal.models import Session, SessionQuerySet
from journal.trends.aggregates import WINDOW_DAYS, DailyPain, mean_of, round_shown, sessions_between

MIN_WINDOW_DAYS = 3
# Farrar et al., Pain 2001;94:149-58: about 2 points or about 30% on the 0-10 scale is the drop that people in drug
# trials with at least moderate pain called "much improved" (not derived for increases).
MEANINGFUL_POINTS = Decimal("2.0")
MEANINGFUL_PERCENT = Decimal("30")
# IMMPACT (Dworkin et al., J Pain 2008): 10-20% "minimally important", >= 30% moderate, >= 50% substantial.
IMMPACT_MINIMAL = Decimal("10")
# A change gets a label only when each window has at least this many days with a score, the baseline mean is at
# least LABEL_MIN_BASELINE, the change is at least LABEL_MIN_POINTS either way, and the baseline was not picked by
# the user (picking a bad week makes any later week look better).
LABEL_MIN_DAYS = 7
LABEL_MIN_BASELINE = Decimal("3")
LABEL_MIN_POINTS = Decimal("1.0")
# After this long with scores and no meaningful drop, a calm prompt suggests a review with a physiotherapist or doctor.
REVIEW_AFTER_DAYS = 42
IMMPACT_MODERATE = Decimal("30")
IMMPACT_SUBSTANTIAL = Decimal("50")
IMMPACT_MINIMAL_TOP = Decimal("20")  # the top of IMMPACT's "minimally important" range, as it words it

# The callout's fixed sentences (templates/journal/_change_callout.html lays them out around the figures).
CALLOUT_HEADING = "Your leg pain, then and now"
RED_FLAG_NOTE = "You reported a red-flag symptom recently, so Tenderspot is not showing a pain comparison."
CAVEAT = (
    "This comparison cannot show that pressing helped. Sciatica often settles by itself within a few weeks. People "
    "tend to start tracking when pain is at its worst, so later weeks usually look better whatever they do "
    "(researchers call this regression to the mean). Anything else in the same weeks, such as exercise, medicines "
    "or physiotherapy, counts too."
)
RISING_ADVICE = "Pain that rises is a reason to ease off and ask a physiotherapist or doctor."


# Meaningful change -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The recent window against the baseline window, on the daily mean of leg pain before sessions.

    `points` = recent mean - baseline mean (negative = less pain), `percent` = points / baseline mean * 100,
    both from the means rounded as displayed (0.1 point; `baseline_shown`, `recent_shown`), so the shown numbers
    subtract to the shown difference; the percent is rounded to a whole number. Labels are decided on the rounded
    figures so the words always match the numbers. `shown` (the numbers may be shown) is True only when both
    windows have at least 3 days with data and no red flag was reported from the start of the recent window on;
    `red_flag` says the safety advice must show instead. `label` is "" unless `labelled` (see LABEL_MIN_*);
    `no_label_reason` then says why.
    `first_scored` is the baseline's first day with a score (the first in the range read, or in the whole history
    when `range_start` is None and no baseline was chosen), `as_of` the user's today: `suggest_review` reads them.
    """

    baseline_mean: float | None = None
    baseline_days: int = 0
    baseline_start: date | None = None
    baseline_end: date | None = None
    baseline_chosen: bool = False
    recent_mean: float | None = None
    recent_days: int = 0
    recent_start: date | None = None
    recent_end: date | None = None
    points: Decimal | None = None
    percent: Decimal | None = None
    red_flag: bool = False
    reason: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    range_start: date | None = None
    first_scored: date | None = None
    as_of: date | None = None

    # The fixed sentences, for the template (plain class attributes: not fields).
    heading = CALLOUT_HEADING
    red_flag_note = RED_FLAG_NOTE
    caveat = CAVEAT
    rising_advice = RISING_ADVICE

    @property
    def enough_data(self) -> bool:
        return self.baseline_days >= MIN_WINDOW_DAYS and self.recent_days >= MIN_WINDOW_DAYS

    @property
    def shown(self) -> bool:
        return self.enough_data and not self.red_flag

    @property
    def baseline_is_first_days(self) -> bool:
        """Whether the baseline is the user's very first days with a score (not a chosen period, not the start of
        a later range): only then may the page call it "your first days with a score"."""
        return not self.baseline_chosen and self.range_start is None

    @property
    def baseline_shown(self) -> Decimal | None:
        """The baseline mean as displayed (0.1 point); `points` is `recent_shown - baseline_shown`."""
        return round_shown(self.baseline_mean)

    @property
    def recent_shown(self) -> Decimal | None:
        return round_shown(self.recent_mean)

    @property
    def points_abs(self) -> Decimal | None:
        return None if self.points is None else abs(self.points)

    @property
    def percent_abs(self) -> Decimal | None:
        return None if self.percent is None else abs(self.percent)

    @property
    def direction(self) -> str:
        """ "lower", "higher" or "same" (recent against baseline)."""
        if self.points is None or self.points == 0:
            return "same"
        return "lower" if self.points < 0 else "higher"

    @property
    def meaningful(self) -> bool:
        """About 2 points or about 30% either way (Farrar 2001)."""
        if self.points is None:
            return False
        return abs(self.points) >= MEANINGFUL_POINTS or (
            self.percent is not None and abs(self.percent) >= MEANINGFUL_PERCENT
        )

    @property
    def meaningful_drop(self) -> bool:
        """A drop of about the size people in drug trials called "much improved" (Farrar's figure is for drops)."""
        return self.direction == "lower" and self.meaningful

    @property
    def band(self) -> str:
        """IMMPACT size of the change in percent: "none" (< 10%), "minimal", "moderate", "substantial"."""
        if self.percent is None:
            return "none" if not self.meaningful else "unknown"
        size = abs(self.percent)
        if size >= IMMPACT_SUBSTANTIAL:
            return "substantial"
        if size >= IMMPACT_MODERATE:
            return "moderate"
        if size >= IMMPACT_MINIMAL:
            return "minimal"
        return "none"

    @property
    def no_label_reason(self) -> str:
        """Why a comparison with numbers carries no label ("" when it has one or has no numbers)."""
        if self.points is None:
            return ""
        if self.baseline_chosen:
            return (
                "You chose the baseline period, so Tenderspot puts no label on this change. Choosing a bad week as "
                "the baseline makes any later week look better."
            )
        if self.baseline_days < LABEL_MIN_DAYS or self.recent_days < LABEL_MIN_DAYS:
            return (
                f"No label yet: each period needs at least {LABEL_MIN_DAYS} days with a score, and so far "
                f"{days_so_far(self.baseline_days, self.recent_days)}."
            )
        if self.baseline_mean is None or round_shown(self.baseline_mean) < LABEL_MIN_BASELINE:
            return (
                "No label: the baseline average is under 3 out of 10, and at such low scores small moves are "
                "mostly everyday ups and downs."
            )
        if abs(self.points) < LABEL_MIN_POINTS:
            return "No label: the change is under 1 point, within everyday ups and downs."
        return ""

    @property
    def labelled(self) -> bool:
        return self.points is not None and not self.no_label_reason

    @property
    def label(self) -> str:
        """A short label, e.g. "Leg pain lower by an amount IMMPACT calls moderate", or "" (see `labelled`)."""
        if not self.labelled:
            return ""
        if self.direction == "higher":
            return "Leg pain higher than in the baseline"
        words = {
            "substantial": "substantial",
            "moderate": "moderate",
            "minimal": "minimally important",
        }
        if self.band not in words:
            return "Little or no change"
        return f"Leg pain lower by an amount IMMPACT calls {words[self.band]}"

    @property
    def farrar_note(self) -> str:
        """Farrar's figure, for a labelled drop of that size ("" otherwise)."""
        if not (self.labelled and self.meaningful_drop):
            return ""
        return (
            f"A drop of about {MEANINGFUL_POINTS:.0f} points or {MEANINGFUL_PERCENT}% is the size that people in drug "
            "trials called \u201cmuch improved\u201d (Farrar and colleagues, 2001)."
        )

    @property
    def immpact_note(self) -> str:
        """IMMPACT's bands, for a labelled drop ("" otherwise)."""
        if not (self.labelled and self.direction == "lower"):
            return ""
        return (
            f"IMMPACT, an expert group on pain trials, calls a drop of {IMMPACT_MINIMAL}-{IMMPACT_MINIMAL_TOP}% "
            f"minimally important, {IMMPACT_MODERATE}% or more moderate and {IMMPACT_SUBSTANTIAL}% or more "
            "substantial."
        )

    @property
    def baseline_described(self) -> str:
        """Which days the baseline is, after the dates: "your first days with a score", and so on."""
        if self.baseline_is_first_days:
            return "your first days with a score"
        if not self.baseline_chosen:
            return "the first days with a score in this period"
        return "the period you chose"

    @property
    def how_compared(self) -> str:
        """What is compared, for the callout without a comparison yet."""
        return (
            f"Tenderspot compares the average of your last {WINDOW_DAYS} days with a pain score against a baseline, "
            "so single sessions are never judged."
        )

    @property
    def suggest_review(self) -> bool:
        """After REVIEW_AFTER_DAYS days with scores, without at least a meaningful drop: suggest a review."""
        if self.red_flag or self.first_scored is None or self.as_of is None:
            return False
        return (self.as_of - self.first_scored).days >= REVIEW_AFTER_DAYS and not self.meaningful_drop


def days_so_far(baseline: int, recent: int) -> str:
    """How many days with a pain score each window holds, in words and plural-correct, as the end of a sentence:
    "there is 1 day with a score in the baseline and none after it"."""
    if not baseline and not recent:
        return "there are no days with a score in either yet"

    def days(n: int) -> str:
        return "none" if n == 0 else ("1 day" if n == 1 else f"{n} days")

    verb = "is" if (baseline or recent) == 1 else "are"
    if baseline:
        return f"there {verb} {days(baseline)} with a score in the baseline and {days(recent)} after it"
    return f"there {verb} none in the baseline and {days(recent)} with a score after it"


def _window_means(qs: SessionQuerySet, newest_first: bool, limit: int | None) -> list[tuple[date, float]]:
    order = "-local_date" if newest_first else "local_date"
    rows = (
        qs.filter(pain_before__isnull=False)
        .order_by()
        .values("local_date")
        .annotate(m=Avg("pain_before"))
        .order_by(order)[:limit]
    )
    return [(r["local_date"], float(r["m"])) for r in rows]


def meaningful_change(
    user: User,
    baseline: tuple[date, date] | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    daily: list[DailyPain] | None = None,
    strict: bool = False,
) -> Change:
    """Compares the mean of the last WINDOW_DAYS (7) days with data (up to `end`) against a baseline.

    The baseline is the user's period `baseline=(from, to)` (every day with data in it) or, by default, the first
    7 days with data on or after `start`. The recent window is the last 7 days with data after the baseline ends,
    so the two windows never overlap. Each day counts once (the mean of the daily means). Three queries; one
    when `daily` (the `daily_pain` rows of [start, end]) holds both windows. The red flag looks at the recent
    window (or the last 7 days up to `end` or today); `strict=True` keeps that look inside [start, end].
    """
    today = today or user.profile.local_date()
    chosen = baseline is not None
    b_from, b_to = baseline if baseline is not None else (start, None)
    if daily is not None and (start is None or (b_from is not None and b_from >= start)):
        scored = [(d.date, d.before) for d in daily if d.before is not None and (start is None or d.date >= start)]
        base = [(d, v) for d, v in scored if (b_from is None or d >= b_from) and (b_to is None or d <= b_to)]
        base = base if chosen else base[:WINDOW_DAYS]
        after = b_to if chosen else (base[-1][0] if base else None)
        recent = [(d, v) for d, v in scored if after and d > after][-WINDOW_DAYS:]
    else:
        qs = sessions_between(user, None, end)
        base = _window_means(qs.between(b_from, b_to), newest_first=False, limit=None if chosen else WINDOW_DAYS)
        after = b_to if chosen else (base[-1][0] if base else None)
        recent_qs = qs.filter(local_date__gt=after) if after else qs.none()
        recent = list(reversed(_window_means(recent_qs, newest_first=True, limit=WINDOW_DAYS)))
    b_end = base[-1][0] if base else None
    # Without a chosen baseline, this is the first day with a score on or after `start`.
    first_scored = base[0][0] if base else None

    flag_from = recent[0][0] if recent else (end or today) - timedelta(days=WINDOW_DAYS - 1)
    flag_to = end if end and end < today else None
    if strict:
        flag_from = max(flag_from, start) if start else flag_from
        flag_to = end
    red_flag = Session.objects.for_user(user).red_flagged().between(flag_from, flag_to).exists()

    b_mean = mean_of(v for _, v in base)
    r_mean = mean_of(v for _, v in recent)
    fields: dict[str, Any] = {
        "baseline_mean": b_mean,
        "baseline_days": len(base),
        "baseline_start": b_from if chosen else (base[0][0] if base else None),
        "baseline_end": b_to if chosen else b_end,
        "baseline_chosen": chosen,
        "recent_mean": r_mean,
        "recent_days": len(recent),
        "recent_start": recent[0][0] if recent else None,
        "recent_end": recent[-1][0] if recent else None,
        "red_flag": red_flag,
        "range_start": start,
        "first_scored": first_scored,
        "as_of": today,
    }
    if len(base) < MIN_WINDOW_DAYS or len(recent) < MIN_WINDOW_DAYS:
        need = "the baseline period" if len(base) < MIN_WINDOW_DAYS else "the days after the baseline"
        fields["reason"] = (
            f"A comparison needs at least {MIN_WINDOW_DAYS} days with a pain score in {need}, and so far "
            f"{days_so_far(len(base), len(recent))}."
        )
        return Change(**fields)
    # From the means as displayed (0.1 point): the difference shown must be what the shown numbers subtract to
    # (6.44 and 4.66 show as 6.4 and 4.7: a change of -1.7, not the -1.8 of the unrounded means).
    assert b_mean is not None and r_mean is not None  # each window has days with a score
    b_shown, r_shown = round_shown(b_mean), round_shown(r_mean)
    points = r_shown - b_shown
    percent = round_shown(points / b_shown * 100, "1") if b_shown else None
    return Change(points=points, percent=percent, **fields)
