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


# Pieces the rules share. A harsh word counts when it is about the writer: "I was awful"
# is, "the traffic was awful" is not. The writer is "I" (and the helpers that can follow
# it: "I can never", "I seem to always"), "my mind" and the like, or nobody at all at the
# start of a sentence, the way people type on a phone ("totally blew it").
_I = rf"\bI (?: {_APOS} (?: m | ll | ve | d ) | m )? \b"
_HELPERS = r"""(?: \s+ (?: am | will | can | could | would | just | really | still | do | have
                         | seem \s+ to | tend \s+ to ) )*"""
_ME = rf"(?: (?: {_I} | \bmy \s+ (?: mind | brain | head | nerves | voice ) ) {_HELPERS} \s+ )"
_NO_SUBJECT = r"(?: (?: ^ | (?<= [.!?;:,\n] ) ) \s* )"
_I_AM = rf"\bI (?: {_APOS}? m | \s+ am | \s+ was | \s+ feel | \s+ felt )"

# What people do *badly*, said with "always": "I always freeze" is harsh self-talk,
# "I always write tests first" is a habit worth telling.
_SLIP = r"""(?:
    freez (?: e | es | ing ) | froze | panic (?: s | ked )? | rambl (?: e | es ) | chok (?: e | es )
  | stumbl (?: e | es ) | struggl (?: e | es ) | fail s? | flop s? | fumbl (?: e | es ) | forget s?
  | overthink s? | rush (?: es )? | babbl (?: e | es ) | waffl (?: e | es ) | mumbl (?: e | es )
  | blank s? | (?: mess | screw ) (?: es | s )? \s+ (?: \w+ \s+ )? up | blows? \s+ it | undersell s?
  | go (?: es )? \s+ (?: blank | to \s+ pieces | quiet ) | falls? \s+ apart | trips? \s+ (?: up | over )
  | gets? \s+ (?: \w+ \s+ ){0,3}? (?: wrong | flustered | tongue-tied | stuck | lost | muddled )
  | gets? \s+ (?: so \s+ | really \s+ | too \s+ )? nervous | says? \s+ the \s+ wrong
  | los (?: e | es ) \s+ (?: my | the ) \s+ (?: thread | nerve | train \s+ of \s+ thought )
  | comes? \s+ across \s+ (?: as | badly | wrong | poorly )
  | sounds? \s+ (?: stupid | awkward | like \s+ an? )
  | makes? \s+ (?: a \s+ mess | a \s+ fool | silly \s+ mistakes ) | talks? \s+ too \s+ (?: much | fast )
  | (?: the \s+ | so \s+ | too \s+ )? (?: weakest | worst | nervous | awkward | rubbish | useless | hopeless )
)"""

# What people do *well*, said with "never": "I never get these right" is harsh,
# "I never miss a deadline" is a strength.
_MANAGE = r"""(?:
    (?: get | gets | got ) \s+ (?: \w+ \s+ ){0,4}?
        (?: right | hired | picked | anywhere | through | past | the \s+ hang \s+ of
          | an? \s+ offer | the \s+ job | a \s+ job )
  | (?: do | does | did ) \s+ (?: \w+ \s+ )? (?: well | any \s+ good )
  | (?: interview | perform | present | answer ) \w* \s+ (?: \w+ \s+ )? well
  | (?: come | comes | came ) \s+ across \s+ well
  | (?: be | been ) \s+ (?: \w+ \s+ )?
        (?: good | ready | able | confident | any \s+ good | hired | taken \s+ seriously )
  | know \w* \s+ (?: what \s+ to \s+ say | the \s+ answer | how \s+ to \s+ answer )
  | explain \w* \s+ (?: \w+ \s+ ){0,4}? (?: properly | well | clearly )
  | think \s+ of \s+ (?: an? \s+ | the \s+ )? (?: answer | example ) | make \s+ it
  | land \w* \s+ (?: \w+ \s+ )? (?: job | offer | role ) | pass (?: es | ed )? \b | succeed \w*
  | manage \w* \s+ to | remember \w* \s+ (?: anything | what \s+ to )
)"""

_HARSH = r"""(?: terribl[ey] | awful (?: ly )? | horribl[ey] | dreadful (?: ly )? | rubbish
              | appalling (?: ly )? )"""
_NOT_ENOUGH = r"(?: good | smart | clever | strong | experienced | senior | qualified ) \s+ enough\b"

# Order matters: a longer, more specific phrase comes before the single word
# it contains ("I should never have applied" before "never"), and the text it
# matched is not flagged again by a later rule. Where a pattern has a group named
# `words`, that group is what is highlighted (the subject before it only decides).
RULES: tuple[Rule, ...] = (
    _rule(
        "regret_applying",
        rf"""\b I \s+ should (?: \s+ never | \s+ not | n{_APOS}t ) \s+ (?: even \s+ )? have \s+
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
             | (?: I \s+ )? couldn{_APOS}?t \s+ (?: answer | do ) \s+
               (?: anything | a \s+ single \s+ \w+ ) )\b""",
        "All or nothing",
        'Name one part that worked and one to work on: "The introductions went well; the technical '
        'part caught me off guard, so next time I will take a moment before answering."',
    ),
    _rule(
        "worst_ever",
        rf"""\b(?: the \s+ )? worst \s+
             (?: (?: interview | one | performance | day | moment ) \s+ )?
             (?: ever | of \s+ my \s+ (?: life | career ) | I (?: {_APOS}ve | \s+ have ) \s+ ever \s+ \w+ )\b
           | \b(?: my \s+ )? worst \s+ (?: interview | performance )\b""",
        "Ranking it as the worst",
        'Keep it to this one interview: "It was not my strongest; the second half felt rushed, '
        'so next time I will keep my examples shorter."',
    ),
    _rule(
        "messed_up",
        r"""(?: (?: ^ | (?<= [.!?;:,\n] ) ) \s* | (?= \bI \s ) )
            (?P<words> (?: I \s+ )?
              (?: (?: completely | totally | really | utterly | probably | just ) \s+ )?
              (?: (?: messed | screwed | mucked ) \s+ (?: (?: it | that | this | things ) \s+ )? up
                | blew \s+ it | bombed | botched (?: \s+ it )?
                | made \s+ a \s+ (?: complete \s+ )? mess \s+ of
                | ruined \s+ (?: it | everything | my \s+ chances ) )\b )""",
        "A verdict on the whole interview",
        'Name the moment instead: "One question caught me off guard; next time I will take a moment '
        'before answering."',
    ),
    _rule(
        "disaster",
        # "Disaster recovery" and the like are things people build, not verdicts.
        r"""\b(?: an? \s+ )?
             (?: (?: total (?: ly )? | complete (?: ly )? | utter (?: ly )? ) \s+ (?: a \s+ )? )?
             (?: disast (?: er (?! \s+ (?: recovery | relief | planning | plan | response ) ) | rous )
               | train \s* wreck | car \s+ crash )\b""",
        "A dramatic word for one meeting",
        'Say which part went off course and what you would change: "The coding exercise ran out of '
        'time; next time I will talk through my plan before I start typing."',
    ),
    _rule(
        "put_down",
        rf"""(?: {_I_AM} | \bI \s+ (?: looked | sounded | must \s+ have \s+ (?: looked | sounded )
                                    | came \s+ across \s+ as ) ) \s+
             (?: (?: so | such | completely | totally | really | just | like ) \s+ )*
             (?: an? \s+ )? (?: (?: complete | total | absolute | utter | nervous ) \s+ )?
             (?: useless | hopeless | idiot | stupid | incompetent | pathetic | clueless | dumb
               | mess | wreck | fraud | joke )\b
           | \bI (?: {_APOS}? m | \s+ am ) \s+ (?: (?: so | really | just ) \s+ )?
             (?: bad | terrible | awful | rubbish ) \s+ at\b
           | \b(?: an? | such \s+ an? | what \s+ an? ) \s+ (?: stupid | useless | pathetic | clueless | dumb )
             \s+ (?: answer | reply | mistake | thing \s+ to \s+ say )\b
           | \b(?: idiot | moron )\b""",
        "Putting yourself down",
        'Describe the gap, not yourself: "I was rusty on SQL window functions; I am going through '
        'them again this week."',
    ),
    _rule(
        "not_good_enough",
        rf"""{_I_AM} \s+ (?: just \s+ | simply \s+ | probably \s+ )? not \s+ (?: \w+ \s+ )?? {_NOT_ENOUGH}
           | \bI \s+ wasn{_APOS}?t \s+ (?: \w+ \s+ )?? {_NOT_ENOUGH}
           | \bI (?: {_APOS}ll | \s+ will ) \s+ never \s+ be \s+ (?: \w+ \s+ )? enough\b
           | \bnot \s+ cut \s+ out \s+ for\b
           | \b(?: never | won{_APOS}?t | wouldn{_APOS}?t | don{_APOS}?t ) \s+ (?: \w+ \s+ )??
             (?: want | hire | pick | choose ) \s+ (?: someone | somebody | anyone ) \s+ like \s+ me\b""",
        "Judging your worth",
        'Talk about experience, which can grow: "I have less experience with large migrations than '
        'they are after; I am reading up on it and would like to show how I would learn it."',
    ),
    _rule(
        "failed",
        # "I failed over to the replica" is an operation, not a verdict.
        rf"""\bI \s+ (?: (?: completely | totally | utterly | just ) \s+ )?
             (?: failed (?! \s+ over ) | flunked )\b
           | {_I_AM} \s+ (?: like \s+ )? (?: such \s+ )? (?: an? \s+ )?
             (?: (?: total | complete | utter | absolute ) \s+ )? failure\b
           | \b(?: (?: an? \s+ )? (?: total | complete | utter | absolute ) | what \s+ a ) \s+ failure\b""",
        "Calling it a failure",
        'Say what did not get done and how you would handle it: "I did not finish the task in time; '
        'next time I will say early which part I am leaving out and why."',
    ),
    _rule(
        "embarrassed",
        rf"""\b(?: (?: embarrass | humiliat ) (?: ed | ing ) \s+ myself
           | {_I_AM} \s+ (?: (?: so | really | totally ) \s+ )?
             (?: embarrassed | humiliated | mortified | ashamed )
           | (?: so | how | really | totally | utterly ) \s+
             (?: embarrassing | humiliating | mortifying ) )\b""",
        "Dwelling on embarrassment",
        'Say what happened and how you recovered: "I lost my thread once, picked it back up, and '
        'next time I will keep a few notes in front of me."',
    ),
    _rule(
        "doubting_yourself",
        rf"""\bI \s+ (?: don{_APOS}?t | do \s+ not ) \s+ think \s+ I \s+
             (?: did | showed | gave | came \s+ across | performed | got | made ) \s+ (?: \w+ \s+ ){{0,2}}?
             (?: best | well | good | great | it | the \s+ cut )\b
           | \bI \s+ doubt \s+ (?: they | I )
             (?: {_APOS} (?: ll | d ) | \s+ (?: will | would | want | got | did | made | showed ) )\b""",
        "Doubting how you came across",
        'Leave the judging to them and add what you would like them to know: "I enjoyed the '
        'discussion on testing, and I would like to add an example I did not get to."',
    ),
    _rule(
        "harsh_word",
        rf"""(?: \bI \s+ (?: was | did | felt | looked | sounded | performed | answered | presented
                         | came \s+ across )
           | \bmy \s+ \w+ (?: \s+ \w+ ){{0,3}}? \s+ (?: was | were | went | sounded | looked )
           | \b(?: it | that | this | everything | the \s+ interview | the \s+ presentation )
             \s+ (?: was | went )
           ) \s+ (?: (?: so | really | just | absolutely | pretty ) \s+ )? {_HARSH}\b""",
        "A harsh word that hides the detail",
        'Swap it for the detail: "My answer on the budget question was thin; next time I will bring '
        'a concrete example with numbers."',
    ),
    _rule(
        "always",
        rf"""(?: {_ME} | {_NO_SUBJECT} )
             (?P<words> always \s+ (?: (?: just | completely | totally | seem \s+ to ) \s+ )? {_SLIP} )\b""",
        "An absolute about yourself: always",
        'Talk about this interview only: "I rushed my answer on the design question; next time I '
        'will sketch it before I speak."',
    ),
    _rule(
        "never",
        rf"""(?: {_ME} | {_NO_SUBJECT} )
             (?P<words> (?: never | (?: can | don | won ) {_APOS}?t \s+ ever ) \s+
               (?: (?: going \s+ to | gonna | really ) \s+ )? {_MANAGE} )""",
        "An absolute about yourself: never",
        'Say where you are now and where you are going: "I have not used Kafka in production yet; '
        'I said so and explained how I would pick it up."',
    ),
)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _highlighted(match: re.Match[str]) -> tuple[int, int]:
    """Where a match is shown: its `words` group when the rule has one, else all of it."""
    return match.span("words") if "words" in match.re.groupindex else match.span()


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
        matches = map(_highlighted, rule.pattern.finditer(text))
        spans = [span for span in matches if not _overlaps(*span, taken)]
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
