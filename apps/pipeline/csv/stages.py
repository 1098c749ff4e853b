"""Other trackers' stage names, read as ours.

Each preset names the stages one tracker exports; every preset also knows our
own names and the words people use in their own spreadsheets. The preset is
guessed from the values in the file: the names only one tracker uses decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apps.pipeline.models import Stage


def squash(value: str) -> str:
    # "Second interview", "second_interview" and "SECOND-INTERVIEW" all mean one stage.
    squashed = re.sub(r"[^0-9a-z]", "", value.casefold())
    return squashed or " ".join(value.casefold().split())


def _squashed(names: Mapping[str, str]) -> dict[str, str]:
    return {squash(name): stage for name, stage in names.items()}


@dataclass(frozen=True)
class Preset:
    key: str
    name: str  # as the review page says it: "Stage names read as Teal's."
    stages: dict[str, str]  # squashed name -> our stage


# Our own names and keys, and what people write in spreadsheets of their own.
SPREADSHEET_WORDS: dict[str, str] = {
    **{value: value for value in Stage.values},
    **{str(label): value for value, label in Stage.choices},
    "wishlist": Stage.INTERESTED,
    "saved": Stage.INTERESTED,
    "bookmarked": Stage.INTERESTED,
    "to apply": Stage.INTERESTED,
    "not applied": Stage.INTERESTED,
    "researching": Stage.INTERESTED,
    "submitted": Stage.APPLIED,
    "application sent": Stage.APPLIED,
    "sent": Stage.APPLIED,
    "screen": Stage.SCREENING,
    "phone screen": Stage.SCREENING,
    "phone call": Stage.SCREENING,
    "recruiter call": Stage.SCREENING,
    "recruiter screen": Stage.SCREENING,
    "hr call": Stage.SCREENING,
    "assessment": Stage.SCREENING,
    "interview": Stage.FIRST_INTERVIEW,
    "interviewing": Stage.FIRST_INTERVIEW,
    "1st interview": Stage.FIRST_INTERVIEW,
    "first round": Stage.FIRST_INTERVIEW,
    "2nd interview": Stage.SECOND_INTERVIEW,
    "second round": Stage.SECOND_INTERVIEW,
    "technical interview": Stage.SECOND_INTERVIEW,
    "onsite": Stage.FINAL_ROUND,
    "on site": Stage.FINAL_ROUND,
    "final": Stage.FINAL_ROUND,
    "final interview": Stage.FINAL_ROUND,
    "3rd interview": Stage.FINAL_ROUND,
    "references": Stage.REFERENCE_CHECK,
    "reference check": Stage.REFERENCE_CHECK,
    "offer received": Stage.OFFER,
    "offered": Stage.OFFER,
    "negotiating": Stage.OFFER,
    "hired": Stage.ACCEPTED,
    "offer accepted": Stage.ACCEPTED,
    "declined": Stage.REJECTED,
    "not selected": Stage.REJECTED,
    "turned down": Stage.REJECTED,
    "unsuccessful": Stage.REJECTED,
    "withdrew": Stage.WITHDRAWN,
    "i withdrew": Stage.WITHDRAWN,
    "offer declined": Stage.WITHDRAWN,
    "ghosted": Stage.NO_REPLY,
    "no response": Stage.NO_REPLY,
    "no answer": Stage.NO_REPLY,
    "no news": Stage.NO_REPLY,
}

# What each tracker exports, as each of them names its columns on the board.
PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset("spreadsheet", "everyday words", _squashed(SPREADSHEET_WORDS)),
        Preset(
            "huntr",
            "Huntr's",
            _squashed(
                {
                    "Wishlist": Stage.INTERESTED,
                    "Applied": Stage.APPLIED,
                    "Interview": Stage.FIRST_INTERVIEW,
                    "Offer": Stage.OFFER,
                    "Rejected": Stage.REJECTED,
                }
            ),
        ),
        Preset(
            "teal",
            "Teal's",
            _squashed(
                {
                    "Bookmarked": Stage.INTERESTED,
                    # Teal's "Applying" is a job being applied for, not yet sent.
                    "Applying": Stage.INTERESTED,
                    "Applied": Stage.APPLIED,
                    "Interviewing": Stage.FIRST_INTERVIEW,
                    "Negotiating": Stage.OFFER,
                    "Accepted": Stage.ACCEPTED,
                    "I Withdrew": Stage.WITHDRAWN,
                    "Not Selected": Stage.REJECTED,
                    "No Response": Stage.NO_REPLY,
                }
            ),
        ),
        Preset(
            "simplify",
            "Simplify's",
            _squashed(
                {
                    "Saved": Stage.INTERESTED,
                    "Applied": Stage.APPLIED,
                    "Screen": Stage.SCREENING,
                    "Interviewing": Stage.FIRST_INTERVIEW,
                    "Offer": Stage.OFFER,
                    "Rejected": Stage.REJECTED,
                    "Withdrawn": Stage.WITHDRAWN,
                }
            ),
        ),
    )
}
SPREADSHEET = "spreadsheet"
TRACKERS = [key for key in PRESETS if key != SPREADSHEET]
PRESET_CHOICES = [
    ("spreadsheet", "Everyday words"),
    ("huntr", "Huntr"),
    ("teal", "Teal"),
    ("simplify", "Simplify"),
]


def _distinctive(key: str) -> set[str]:
    """The names only this tracker uses, of the trackers we know."""
    others = set().union(*(PRESETS[other].stages for other in TRACKERS if other != key))
    return set(PRESETS[key].stages) - others


def detect_preset(values: Iterable[str]) -> str:
    """The tracker whose own names the file uses most; a spreadsheet when none stands out."""
    found = {squash(value) for value in values if value.strip()}
    scores = {key: len(found & _distinctive(key)) for key in TRACKERS}
    best = max(scores, key=lambda key: scores[key])
    tied = [key for key, score in scores.items() if score == scores[best]]
    return best if scores[best] and len(tied) == 1 else SPREADSHEET


def stage_lookup(preset: str, choices: Mapping[str, str] | None = None) -> dict[str, str]:
    """Squashed name -> our stage: the person's choices, over the preset's names, over the common words."""
    lookup = dict(PRESETS[SPREADSHEET].stages)
    lookup.update(PRESETS.get(preset, PRESETS[SPREADSHEET]).stages)
    lookup.update({key: stage for key, stage in (choices or {}).items() if stage in Stage.values})
    return lookup


@dataclass(frozen=True)
class StageName:
    """One stage name found in the file, and how it reads here."""

    key: str
    written: str  # its first spelling in the file
    rows: int
    stage: str  # ours, or "" when we don't know it and the person must choose
    chosen: bool  # by the person on the review page

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""


@dataclass(frozen=True)
class StageReading:
    preset: str
    detected: bool  # guessed from the file rather than chosen
    names: list[StageName]
    evidence: list[str]  # names in the file only this tracker uses

    @property
    def preset_name(self) -> str:
        return PRESETS[self.preset].name

    @property
    def unknown(self) -> list[StageName]:
        return [name for name in self.names if not name.stage]


def read_stages(
    values: Iterable[str], *, preset: str = "", choices: Mapping[str, str] | None = None
) -> tuple[StageReading, dict[str, str]]:
    """The file's stage names (its stage column's values) as this preset, or the detected one, reads them."""
    values = [value for value in values if value.strip()]
    detected = preset not in PRESETS
    preset = detect_preset(values) if detected else preset
    lookup = stage_lookup(preset, choices)
    chosen = set(choices or {})
    counted: dict[str, list] = {}
    for value in values:
        key = squash(value)
        entry = counted.setdefault(key, [" ".join(value.split()), 0])
        entry[1] += 1
    names = [
        StageName(key, written, rows, lookup.get(key, ""), key in chosen)
        for key, (written, rows) in counted.items()
    ]
    own = _distinctive(preset) if preset in TRACKERS else set()
    evidence = [name.written for name in names if name.key in own][:3]
    return StageReading(preset, detected, names, evidence), lookup
