"""Where to get care, by the country a person lives in: the emergency number and where to go for urgent advice.

A short list on purpose: each entry is a number we have checked. Anyone else gets "your local emergency number",
never another country's number (a UK number is useless, even harmful, to someone in Berlin).
"""

from dataclasses import dataclass

from django.db import models


class CareRegion(models.TextChoices):
    UK = "gb", "United Kingdom"
    IRELAND = "ie", "Ireland"
    EU = "eu", "Another European Union country"
    US = "us", "United States"
    CANADA = "ca", "Canada"
    AUSTRALIA = "au", "Australia"
    NEW_ZEALAND = "nz", "New Zealand"
    OTHER = "other", "Somewhere else"


@dataclass(frozen=True)
class Number:
    digits: str  # what to dial, shown as written
    label: str  # who answers, in a few words

    @property
    def tel(self) -> str:
        """For a tap-to-call link: `tel:` followed by the digits only."""
        return "tel:" + "".join(ch for ch in self.digits if ch.isdigit())


@dataclass(frozen=True)
class CareNumbers:
    """`emergency`: numbers to call now (empty: "your local emergency number"). `emergency_place`: where to go in
    person. `urgent`: a number for same-day advice, if the country has one; `urgent_text`: where to go for it."""

    region: str
    emergency: tuple[Number, ...]
    emergency_place: str
    urgent: tuple[Number, ...]
    urgent_text: str


EMERGENCY_DEPARTMENT = "the nearest emergency department"
CARE: dict[str, CareNumbers] = {
    CareRegion.UK: CareNumbers(
        CareRegion.UK, (Number("999", "emergency"),), "A&E", (Number("111", "NHS 111"),), "your GP or NHS 111"
    ),
    CareRegion.IRELAND: CareNumbers(
        CareRegion.IRELAND,
        (Number("112", "emergency"), Number("999", "emergency")),
        EMERGENCY_DEPARTMENT,
        (),
        "your GP, or the GP out-of-hours service",
    ),
    CareRegion.EU: CareNumbers(
        CareRegion.EU, (Number("112", "emergency"),), EMERGENCY_DEPARTMENT, (), "your doctor, or an out-of-hours doctor"
    ),
    CareRegion.US: CareNumbers(
        CareRegion.US, (Number("911", "emergency"),), EMERGENCY_DEPARTMENT, (), "your doctor, or an urgent care clinic"
    ),
    CareRegion.CANADA: CareNumbers(
        CareRegion.CANADA,
        (Number("911", "emergency"),),
        EMERGENCY_DEPARTMENT,
        (),
        "your doctor, or a walk-in or urgent care clinic",
    ),
    CareRegion.AUSTRALIA: CareNumbers(
        CareRegion.AUSTRALIA,
        (Number("000", "emergency"),),
        EMERGENCY_DEPARTMENT,
        (Number("1800 022 222", "healthdirect"),),
        "your GP or healthdirect",
    ),
    CareRegion.NEW_ZEALAND: CareNumbers(
        CareRegion.NEW_ZEALAND,
        (Number("111", "emergency"),),
        EMERGENCY_DEPARTMENT,
        (Number("0800 611 116", "Healthline"),),
        "your GP or Healthline",
    ),
    CareRegion.OTHER: CareNumbers(CareRegion.OTHER, (), EMERGENCY_DEPARTMENT, (), "a doctor"),
}

# Time zones that name one of the regions above without doubt. Zones shared by several countries, or used in
# countries not on the list, are left out: the region then stays "somewhere else" until the person picks one.
EU_ZONES = {
    "Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Bratislava", "Europe/Brussels", "Europe/Bucharest",
    "Europe/Budapest", "Europe/Copenhagen", "Europe/Helsinki", "Europe/Lisbon", "Europe/Ljubljana",
    "Europe/Luxembourg", "Europe/Madrid", "Europe/Malta", "Europe/Paris", "Europe/Prague", "Europe/Riga",
    "Europe/Rome", "Europe/Sofia", "Europe/Stockholm", "Europe/Tallinn", "Europe/Vienna", "Europe/Vilnius",
    "Europe/Warsaw", "Europe/Zagreb", "Atlantic/Canary", "Atlantic/Madeira", "Atlantic/Azores", "Asia/Nicosia",
    "Europe/Nicosia",
}  # fmt: skip
ZONE_REGIONS = {
    "Europe/London": CareRegion.UK,
    "Europe/Belfast": CareRegion.UK,
    "Europe/Dublin": CareRegion.IRELAND,
    "Pacific/Auckland": CareRegion.NEW_ZEALAND,
    "Pacific/Chatham": CareRegion.NEW_ZEALAND,
    **dict.fromkeys(EU_ZONES, CareRegion.EU),
}
US_PREFIXES = ("US/",)
US_ZONES = {
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "America/Detroit", "America/Boise", "America/Juneau",
}  # fmt: skip
CANADA_ZONES = {
    "America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax",
    "America/St_Johns", "America/Regina", "America/Moncton",
}  # fmt: skip


def region_for_zone(time_zone: str) -> str:
    """The region a time zone names without doubt, else OTHER (e.g. "Europe/Berlin" -> EU, "Asia/Tokyo" -> OTHER)."""
    if time_zone in ZONE_REGIONS:
        return ZONE_REGIONS[time_zone]
    if time_zone.startswith("Australia/"):
        return CareRegion.AUSTRALIA
    if time_zone in US_ZONES or time_zone.startswith(US_PREFIXES):
        return CareRegion.US
    if time_zone in CANADA_ZONES or time_zone.startswith("Canada/"):
        return CareRegion.CANADA
    return CareRegion.OTHER


def care_for(region: str) -> CareNumbers:
    return CARE.get(region, CARE[CareRegion.OTHER])
