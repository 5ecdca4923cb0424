"""The red-flag check: the warning signs asked before every session, grouped by urgency.

One list, named the same everywhere: the runner and the quick log ask it, sessions store the codes of the items
reported, and every page and export prints the same words. Sources (clinical-notes.md, "Safety"): the NHS sciatica
and cauda equina pages, the GIRFT national cauda equina pathway and warning card, NICE CKS sciatica (red flags must
be asked one by one: people may not mention saddle numbness unless asked), NHS Lothian RefHelp spinal red flags,
NICE NG19 (the diabetic foot).
"""

from collections.abc import Iterable

from django.db import models


class RedFlagTier(models.TextChoices):
    """How soon to get care. Ordered from the most urgent; a report takes the tier of its most urgent item."""

    EMERGENCY = "emergency", "Emergency: get help now"
    TODAY = "today", "See a doctor today"


class RedFlag(models.TextChoices):
    """One warning sign. The code is stored; the label is what the person answered, in our own words."""

    # Emergency now: possible cauda equina syndrome (and a clot that may have reached the lungs).
    BOTH_LEGS = (
        "both_legs",
        "Pain, tingling or numbness going down both legs, or leg pain that has spread from one leg to both",
    )
    SADDLE = (
        "saddle",
        "Numbness or a changed feeling around your genitals, bottom or inner thighs (for example when you wipe)",
    )
    BLADDER_BOWEL = (
        "bladder_bowel",
        "New trouble starting or stopping when you pee, not feeling the pee pass, or leaking pee or poo",
    )
    SEXUAL = "sexual", "A new change in how your genitals work or feel during sex"
    BOTH_LEGS_WEAK = "both_legs_weak", "Weakness in both legs that is severe or getting worse"
    CALF_BREATHLESS = "calf_breathless", "A painful, swollen calf with breathlessness or chest pain"
    # See a doctor today.
    ONE_LEG_WEAK = (
        "one_leg_weak",
        "New or worsening weakness in one leg, such as tripping, or a foot that drops or slaps as you walk",
    )
    FEVER = "fever", "A fever, or feeling generally unwell, along with your back pain"
    CANCER = "cancer", "You have had cancer, and this back or leg pain is new"
    BONE = "bone", "You have osteoporosis or take steroid tablets long term, and the pain is new and severe"
    SEVERE_PAIN = "severe_pain", "Pain that is severe and does not let up, or that is bad at night"
    DIABETIC_FOOT = "diabetic_foot", "You have diabetes and one foot is red, warm or swollen"
    CALF = "calf", "A painful, swollen calf"
    # Sessions recorded when the check was one yes/no question: which sign was meant is not known.
    UNSPECIFIED = "unspecified", "A warning sign (recorded before the app asked about each sign separately)"


EMERGENCY_ITEMS = (
    RedFlag.BOTH_LEGS,
    RedFlag.SADDLE,
    RedFlag.BLADDER_BOWEL,
    RedFlag.SEXUAL,
    RedFlag.BOTH_LEGS_WEAK,
    RedFlag.CALF_BREATHLESS,
)
TODAY_ITEMS = (
    RedFlag.ONE_LEG_WEAK,
    RedFlag.FEVER,
    RedFlag.CANCER,
    RedFlag.BONE,
    RedFlag.SEVERE_PAIN,
    RedFlag.DIABETIC_FOOT,
    RedFlag.CALF,
)
# What the check asks, in order. UNSPECIFIED is never asked: only old answers carry it (the old question asked about
# signs of the emergency tier, so it counts as one).
ASKED_ITEMS = EMERGENCY_ITEMS + TODAY_ITEMS
TIER_OF = {item: RedFlagTier.EMERGENCY for item in (*EMERGENCY_ITEMS, RedFlag.UNSPECIFIED)} | {
    item: RedFlagTier.TODAY for item in TODAY_ITEMS
}


def tier_of(items: Iterable[str]) -> str:
    """The tier of a report: EMERGENCY if any item is, TODAY if any item is, "" for no items.

    Raises ValueError for a code that is not a RedFlag.
    """
    tiers = {TIER_OF[RedFlag(item)] for item in items}
    if RedFlagTier.EMERGENCY in tiers:
        return RedFlagTier.EMERGENCY
    if RedFlagTier.TODAY in tiers:
        return RedFlagTier.TODAY
    return ""


def ordered(items: Iterable[str]) -> list[str]:
    """The codes in the order of the check (duplicates dropped), so that a report always reads the same way."""
    wanted = set(items)
    return [item.value for item in RedFlag if item.value in wanted]


def labels(items: Iterable[str]) -> list[str]:
    """The words for stored codes, in the order of the check. An unknown code (never stored) shows as itself."""
    known = {item.value: item.label for item in RedFlag}
    return [known[item] for item in ordered(items)] + [item for item in items if item not in known]


def as_text(items: Iterable[str]) -> str:
    """The reported items as one line for a CSV cell or a FHIR note: labels joined with "; "."""
    return "; ".join(labels(items))
