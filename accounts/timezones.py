"""The time zones a person picks from: the tz database's zone for each country (its `zone.tab`, shipped by the
pinned `tzdata` package) plus UTC, grouped by region. Links kept for old software ("US/Eastern", "GB"), "Factory",
"localtime" and the POSIX-style names are left out; `accounts.models` still accepts every zone name `zoneinfo`
knows, so a profile or an import that holds one keeps working."""

from functools import cache
from importlib.resources import files

UTC = "UTC"


@cache
def current_zones() -> tuple[str, ...]:
    """Zone names such as "Europe/Berlin", sorted, without UTC."""
    table = (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    names = {line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")}
    return tuple(sorted(names))


def region_of(zone: str | None) -> str | None:
    """The region of a zone name ("Europe" for "Europe/Berlin"); None for UTC, None or a name without one."""
    return zone.split("/", 1)[0] if zone and "/" in zone else None


def _label(zone: str) -> str:
    return zone.split("/", 1)[1].replace("_", " ").replace("/", " / ")


def zone_choices(
    first_region: str | None = None, keep: str | None = None
) -> list[tuple[str, str | list[tuple[str, str]]]]:
    """Choices for a select with one <optgroup> per region: `[("UTC", "UTC (no time zone)"), ("Europe", [("Europe/
    Berlin", "Berlin"), ...]), ...]`, `first_region`'s group first. `keep` adds a zone outside the list (a profile's
    older zone name) so that saving the form does not silently change it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in current_zones():
        groups.setdefault(region_of(zone) or "Other", []).append((zone, _label(zone)))
    if keep and keep != UTC and keep not in current_zones():
        groups.setdefault(region_of(keep) or "Other", []).insert(0, (keep, keep.replace("_", " ")))
    regions = sorted(groups, key=lambda region: (region != first_region, region))
    return [(UTC, "UTC (no time zone)")] + [(region, groups[region]) for region in regions]
