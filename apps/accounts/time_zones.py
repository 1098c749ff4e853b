"""The time zones a user can pick: IANA names, grouped for the select box."""

from __future__ import annotations

import zoneinfo
from functools import cache

# Zones kept only for backward compatibility ("US/Pacific", "Etc/GMT+5")
# confuse people in a list; the canonical Area/City names cover everyone.
_CANONICAL_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def time_zone_names() -> frozenset[str]:
    names = {
        name
        for name in zoneinfo.available_timezones()
        if name.split("/", 1)[0] in _CANONICAL_AREAS and "/" in name
    }
    names.add("UTC")
    return frozenset(names)


@cache
def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    """UTC first, then one optgroup per continent, cities sorted by name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(time_zone_names() - {"UTC"}):
        area, place = name.split("/", 1)
        groups.setdefault(area, []).append((name, place.replace("_", " ").replace("/", " / ")))
    return [("UTC", "UTC"), *groups.items()]


def is_valid_time_zone(name: str) -> bool:
    return name in time_zone_names()
