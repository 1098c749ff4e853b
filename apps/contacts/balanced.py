"""The balanced-feedback helper: spot wording that is harder on yourself than it needs to be.

A recruiter repeats what you tell them to the hiring team, so "I completely
messed up" travels further than the interview did. Each rule names one habit
of harsh self-talk and offers a reframe: what happened, and what you will do
next time. The rules are plain data; add one by appending to RULES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How much of the text around a match is shown, so the person can find it.
CONTEXT_CHARS = 40

# Both apostrophes: phones type the curly one.
_APOS = "['\u2019]"


@dataclass(frozen=True)
class Rule:
    key: str
    pattern: re.Pattern[str]
    label: str
    suggestion: str


@dataclass(frozen=True)
class Flag:
    """One rule that matched: where it first matched, and how often."""

    key: str
    label: str
    suggestion: str
    matched: str
    start: int
    end: int
    count: int
    before: str
    after: str


def _rule(key: str, pattern: str, label: str, suggestion: str) -> Rule:
    return Rule(key, re.compile(pattern, re.IGNORECASE | re.VERBOSE), label, suggestion)


# Order matters: a longer, more specific phrase comes before the single word
# it contains ("I should never have applied" before "never"), and the text it
# matched is not flagged again by a later rule.
RULES: tuple[Rule, ...] = (
    _rule(
        "regret_applying",
        rf"""\b I \s+ should (?: \s+ never | \s+ not | n{_APOS}t ) \s+ have \s+
             (?: applied | bothered | gone \s+ for \s+ it | gone )\b""",
        "Regretting that you applied",
        "If the role is not right for you, say so plainly; if it is, say what you would prepare "
        'differently: "I am still keen; next time I would go through the case study in more depth."',
    ),
    _rule(
        "nothing_went_right",
        rf"""\b(?: nothing \s+ went \s+ (?: right | well )
             | everything \s+ went \s+ wrong
             | (?: I \s+ )? got \s+ everything \s+ wrong
             | (?: I \s+ )? couldn{_APOS}t \s+ (?: answer | do ) \s+ anything )\b""",
        "All or nothing",
        'Name one part that worked and one to work on: "The introductions went well; the technical '
        'part caught me off guard, so next time I will take a moment before answering."',
    ),
    _rule(
        "worst_ever",
        rf"""\b(?: the \s+ )? worst \s+
             (?: (?: interview | one | performance | day ) \s+ )?
             (?: ever | of \s+ my \s+ life | I (?: {_APOS}ve | \s+ have ) \s+ ever \s+ \w+ )\b
           | \bworst \s+ interview\b""",
        "Ranking it as the worst",
        'Keep it to this one interview: "It was not my strongest; the second half felt rushed, '
        'so next time I will keep my examples shorter."',
    ),
    _rule(
        "messed_up",
        r"""\b(?: I \s+ )? (?: (?: completely | totally | really | utterly ) \s+ )?
             (?: (?: messed | screwed | mucked ) \s+ (?: (?: it | that | this | things ) \s+ )? up
             | blew \s+ it | bombed | botched (?: \s+ it )? | made \s+ a \s+ mess \s+ of )\b""",
        "A verdict on the whole interview",
        'Name the moment instead: "One question caught me off guard; next time I will take a moment '
        'before answering."',
    ),
    _rule(
        "disaster",
        r"""\b(?: an? \s+ )?
             (?: (?: total (?: ly )? | complete (?: ly )? | utter (?: ly )? ) \s+ (?: a \s+ )? )?
             (?: disast (?: er | rous ) | train \s* wreck | car \s+ crash )\b""",
        "A dramatic word for one meeting",
        'Say which part went off course and what you would change: "The coding exercise ran out of '
        'time; next time I will talk through my plan before I start typing."',
    ),
    _rule(
        "put_down",
        rf"""\b(?: I (?: {_APOS}m | \s+ am | \s+ was | \s+ felt | \s+ looked | \s+ sounded ) \s+
                 (?: (?: so | such | completely | totally | really | just ) \s+ )? (?: an? \s+ )? )?
             (?: useless | hopeless | idiot | stupid | incompetent | pathetic | clueless )\b""",
        "Putting yourself down",
        'Describe the gap, not yourself: "I was rusty on SQL window functions; I am going through '
        'them again this week."',
    ),
    _rule(
        "not_good_enough",
        rf"""\b(?: I (?: {_APOS}m | \s+ am | \s+ was ) \s+ )? not \s+ good \s+ enough\b""",
        "Judging your worth",
        'Talk about experience, which can grow: "I have less experience with large migrations than '
        'they are after; I am reading up on it and would like to show how I would learn it."',
    ),
    _rule(
        "failed",
        r"""\b(?: I \s+ (?: (?: completely | totally | utterly | just ) \s+ )? (?: failed | flunked )
             | (?: an? \s+ )? (?: (?: total | complete | utter ) \s+ )? failure )\b""",
        "Calling it a failure",
        'Say what did not get done and how you would handle it: "I did not finish the task in time; '
        'next time I will say early which part I am leaving out and why."',
    ),
    _rule(
        "embarrassed",
        r"""\b(?: embarrass (?: ed | ing ) (?: \s+ myself )? | humiliat (?: ed | ing ) )\b""",
        "Dwelling on embarrassment",
        'Say what happened and how you recovered: "I lost my thread once, picked it back up, and '
        'next time I will keep a few notes in front of me."',
    ),
    _rule(
        "harsh_word",
        r"""\b(?: terribl[ey] | awful | horribl[ey] | dreadful )\b""",
        "A harsh word that hides the detail",
        'Swap it for the detail: "My answer on the budget question was thin; next time I will bring '
        'a concrete example with numbers."',
    ),
    _rule(
        "always",
        r"""\balways\b""",
        "An absolute: always",
        'Talk about this interview only: "I rushed my answer on the design question; next time I '
        'will sketch it before I speak."',
    ),
    _rule(
        "never",
        r"""\bnever\b""",
        "An absolute: never",
        'Say where you are now and where you are going: "I have not used Kafka in production yet; '
        'I said so and explained how I would pick it up."',
    ),
)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """A little of the text either side of a match, cut at a space and marked with an ellipsis."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS:
        before = "\u2026" + (before[before.index(" ") + 1 :] if " " in before else before)
    if end + CONTEXT_CHARS < len(text):
        after = (after[: after.rindex(" ")] if " " in after else after) + "\u2026"
    return before, after


def review(text: str) -> list[Flag]:
    """The rules the text trips, in the order of RULES, each once (at its first match)."""
    flags: list[Flag] = []
    taken: list[tuple[int, int]] = []
    for rule in RULES:
        spans = [m.span() for m in rule.pattern.finditer(text) if not _overlaps(*m.span(), taken)]
        if not spans:
            continue
        taken.extend(spans)
        start, end = spans[0]
        before, after = _around(text, start, end)
        flags.append(
            Flag(
                key=rule.key,
                label=rule.label,
                suggestion=rule.suggestion,
                matched=text[start:end],
                start=start,
                end=end,
                count=len(spans),
                before=before,
                after=after,
            )
        )
    return flags
