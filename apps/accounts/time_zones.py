"""The time zones a user can pick, read from the IANA database (tzdata package).

The list shown is zone.tab's: one entry per place people live, without the
old spellings kept for compatibility. Browsers still report some of those old
spellings (Chrome says "Asia/Calcutta"), so they are accepted and translated
to the current name through the database's own link table.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

UTC = "UTC"
# Names that mean plain UTC, whatever spelling a browser or import uses.
_UTC_ALIASES = {"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT", "GMT", "Zulu"}


def _read(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@cache
def time_zone_names() -> frozenset[str]:
    names = {
        line.split("\t")[2] for line in _read("zone.tab").splitlines() if line and not line.startswith("#")
    }
    return frozenset(names | {UTC})


@cache
def _aliases() -> dict[str, str]:
    """Old or alternative names -> the name shown in the list ("L target link" lines)."""
    aliases = {}
    for line in _read("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, link = line.split()
            aliases[link] = target
    return aliases


def canonical_time_zone(name: str) -> str | None:
    """The listed name for `name`, or None when it is no time zone we know."""
    name = name.strip()
    if name in _UTC_ALIASES:
        return UTC
    if name in time_zone_names():
        return name
    target = _aliases().get(name)
    if target in _UTC_ALIASES:
        return UTC
    return target if target in time_zone_names() else None


def is_valid_time_zone(name: str) -> bool:
    return name in time_zone_names()


@cache
def time_zone_choices() -> list:
    """UTC first, then one optgroup per region, places sorted by name.

    Each place also names its region, because a closed select shows only the
    chosen option's text: "Lisbon (Europe)" rather than a bare "Lisbon".
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(time_zone_names() - {UTC}):
        region, place = name.split("/", 1)
        label = place.replace("_", " ").replace("/", ", ")
        groups.setdefault(region, []).append((name, f"{label} ({region})"))
    return [(UTC, UTC), *groups.items()]
