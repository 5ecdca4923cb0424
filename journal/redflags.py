"""The red-flag check: the warning signs asked before every session, grouped by urgency.

One list, named the same everywhere: the runner and the quick log ask it, sessions store the codes of the items
reported, and every page and export prints the same words: the check's own to the person, FOR_CLINICIAN's on the
practitioner report and the share page, which someone else reads.

Sources (clinical-notes.md, "Safety"): the NHS sciatica and cauda equina pages, the GIRFT national cauda equina
pathway and warning card, NICE CKS sciatica (red flags must be asked one by one: people may not mention saddle
numbness unless asked), NHS Lothian RefHelp spinal red flags, NICE NG19 (the diabetic foot).
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

# The same signs for a reader who is not the person (the practitioner report and the share page): the check speaks to
# the person ("you", "your"), so each sign is said here in the third person or neutrally. Every RedFlag has one
# (tests/test_practitioner_report.py).
FOR_CLINICIAN: dict[str, str] = {
    RedFlag.BOTH_LEGS: "Pain, tingling or numbness in both legs, or leg pain spread from one leg to both",
    RedFlag.SADDLE: "Saddle numbness or changed sensation (genitals, buttocks or inner thighs)",
    RedFlag.BLADDER_BOWEL: "New bladder or bowel change (hesitancy, retention, loss of sensation or incontinence)",
    RedFlag.SEXUAL: "New change in sexual function or genital sensation",
    RedFlag.BOTH_LEGS_WEAK: "Weakness in both legs, severe or getting worse",
    RedFlag.CALF_BREATHLESS: "Painful, swollen calf with breathlessness or chest pain",
    RedFlag.ONE_LEG_WEAK: "New or worsening weakness in one leg (tripping, foot drop or slap)",
    RedFlag.FEVER: "Fever or feeling generally unwell, with the back pain",
    RedFlag.CANCER: "History of cancer, with new back or leg pain",
    RedFlag.BONE: "Osteoporosis or long-term oral steroids, with new severe pain",
    RedFlag.SEVERE_PAIN: "Severe unremitting pain, or pain at night",
    RedFlag.DIABETIC_FOOT: "Diabetes, with one foot red, warm or swollen",
    RedFlag.CALF: "Painful, swollen calf",
    RedFlag.UNSPECIFIED: "A warning sign (recorded before each sign was asked separately)",
}
TIER_FOR_CLINICIAN: dict[str, str] = {RedFlagTier.EMERGENCY: "emergency sign", RedFlagTier.TODAY: "same-day sign"}


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


def labels(items: Iterable[str], *, for_clinician: bool = False) -> list[str]:
    """The words for stored codes, in the order of the check: the check's own, or FOR_CLINICIAN's. An unknown code
    (never stored) shows as itself."""
    known = FOR_CLINICIAN if for_clinician else {item.value: item.label for item in RedFlag}
    return [known[item] for item in ordered(items)] + [item for item in items if item not in known]


def as_text(items: Iterable[str], *, for_clinician: bool = False) -> str:
    """The reported items as one line (a CSV cell, a FHIR note, the report's log): labels joined with "; "."""
    return "; ".join(labels(items, for_clinician=for_clinician))
