"""The checklists of a reflection, as data. Keys are stored; never rename one.

Written in our own words from what recruiters say to look for after an
interview. Signs are signs: none of them decides anything on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    hint: str = ""


GOOD_SIGNS: tuple[Item, ...] = (
    Item("ran_long", "It ran longer than planned"),
    Item("felt_like_conversation", "It felt like a conversation, not a test"),
    Item(
        "spoke_of_me_in_role",
        "They talked about what I would do there",
        "“You would…”, not “the successful candidate…”",
    ),
    Item("interviewer_engaged", "The interviewer seemed engaged"),
    Item("left_excited", "I left excited about the company"),
    Item("questions_answered", "My questions got full answers"),
    Item("met_colleagues", "I met people I would work with"),
    Item("met_decision_makers", "I met senior decision makers"),
    Item("closing_questions", "They asked closing questions", "Notice period, start date, other processes"),
    Item("next_steps_clear", "The next steps were made clear"),
    Item("good_feedback_to_recruiter", "They gave my recruiter good feedback"),
)

WARNING_SIGNS: tuple[Item, ...] = (
    Item("cut_short", "It was cut short"),
    Item("little_chance_to_answer", "Little eye contact or chance to answer"),
    Item("switched_to_coaching", "They started coaching me for next time"),
    Item("awkward_close", "The ending was awkward"),
)

MISTAKES: tuple[Item, ...] = (
    Item("no_questions_prepared", "No questions ready for the end"),
    Item("rambled", "Rambled or went off topic"),
    Item("negative_about_employer", "Spoke badly of a past employer"),
    Item("arrived_late", "Arrived late"),
    Item("froze", "Froze on a question"),
    Item("other", "Something else"),
)


@dataclass(frozen=True)
class RightJobQuestion:
    key: str
    question: str
    prompt: str


# The four "is this the right job for me?" questions, each with a gut score.
RIGHT_JOB_QUESTIONS: tuple[RightJobQuestion, ...] = (
    RightJobQuestion(
        "job",
        "Does the job excite me?",
        "Does it fit where I want my career to go, and give me what my current job does not?",
    ),
    RightJobQuestion(
        "company",
        "Is the company right for me?",
        "Its purpose and values, the culture, whether I would be proud to work there, the people I met.",
    ),
    RightJobQuestion(
        "manager",
        "What did I make of my potential manager?",
        "Clear? A good listener? Approachable, passionate, interested in my ambitions?",
    ),
    RightJobQuestion(
        "gut",
        "What is my gut telling me?",
        "And do the facts back it up?",
    ),
)


def keys(items: tuple[Item, ...]) -> list[str]:
    return [item.key for item in items]


def labels(items: tuple[Item, ...], chosen: list[str]) -> list[str]:
    by_key = {item.key: item.label for item in items}
    return [by_key[key] for key in chosen if key in by_key]
