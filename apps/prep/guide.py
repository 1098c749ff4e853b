"""What round two is about, as data: the areas assessed, what each kind of interviewer
cares about, what to ask the recruiter first, practice questions and questions to ask.

Written in our own words. Keys are stored in the database; never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    prompt: str


# The five things a second interview sets out to learn about you.
FIVE_AREAS: tuple[Area, ...] = (
    Area("interest", "How much you want this job", "Why this role, why this company, why now. Be specific."),
    Area(
        "skills",
        "Whether you can do it",
        "Competency and technical questions: have proof ready, with numbers.",
    ),
    Area(
        "fit",
        "How you would fit the team",
        "How you work with others, how you like to be managed, what you value.",
    ),
    Area(
        "reservations",
        "Doubts left from round one",
        "A topic they came back to in different words is a doubt: prepare a calm, concrete answer.",
    ),
    Area(
        "availability", "Availability and salary", "Your notice period, start date and the range you expect."
    ),
)


@dataclass(frozen=True)
class Check:
    key: str
    label: str


# Ask the recruiter before round two: do not assume it will look like round one.
ASK_THE_RECRUITER: tuple[Check, ...] = (
    Check("format", "What format is it: one-to-one, panel, a task or a presentation?"),
    Check("who", "Who will I meet, and what are their roles?"),
    Check("length", "How long will it last?"),
    Check("exercise", "Is there a test or exercise to prepare, and how is it judged?"),
    Check("feedback", "Was there feedback from round one I should know about?"),
)

# What each kind of interviewer is usually listening for.
WHAT_THEY_CARE_ABOUT: dict[str, str] = {
    "hiring_manager": "Whether you fit the role and the team they are building.",
    "senior_leader": "How you think strategically and whether you share where the company is going.",
    "colleague": "How you collaborate and what working beside you day to day would be like.",
    "interviewer": "Evidence for the skills the role needs; ask what their part of the day covers.",
    "recruiter_in_house": "Motivation, availability, salary expectations and how you come across.",
    "recruiter_agency": "Whether they can put you forward with confidence; keep them informed.",
    "referee": "They are not interviewing you: keep them briefed instead.",
    "other": "Ask the recruiter what this person's part in the decision is.",
}

COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("conflict", "Conflict"),
    ("deadline", "Deadline pressure"),
    ("leadership", "Leadership"),
    ("failure", "A failure"),
    ("teamwork", "Teamwork"),
    ("influence", "Influencing without authority"),
    ("problem_solving", "Problem solving"),
    ("change", "Handling change"),
    ("customer", "Customer focus"),
    ("initiative", "Initiative"),
)
COMPETENCY_KEYS = [key for key, _ in COMPETENCIES]

# Words in a job's notes that hint at a competency they will probe.
COMPETENCY_HINTS: dict[str, tuple[str, ...]] = {
    "conflict": ("conflict", "disagree", "stakeholder", "difficult"),
    "deadline": ("deadline", "fast-paced", "pressure", "deliver"),
    "leadership": ("lead", "mentor", "manage", "ownership"),
    "failure": ("learn", "resilien", "mistake"),
    "teamwork": ("team", "collaborat", "cross-functional"),
    "influence": ("influence", "persuade", "stakeholder", "align"),
    "problem_solving": ("problem", "analytic", "debug", "solve"),
    "change": ("change", "ambigu", "startup", "transform"),
    "customer": ("customer", "client", "user"),
    "initiative": ("initiative", "self-starter", "proactive", "autonom"),
}


@dataclass(frozen=True)
class PracticeQuestion:
    key: str
    text: str
    competency: str


PRACTICE_QUESTIONS: tuple[PracticeQuestion, ...] = (
    PracticeQuestion(
        "conflict_colleague",
        "Tell us about a time you disagreed with a colleague. What happened?",
        "conflict",
    ),
    PracticeQuestion(
        "tight_deadline", "Describe a piece of work you delivered under a tight deadline.", "deadline"
    ),
    PracticeQuestion(
        "led_without_title", "When did you lead something without being the manager?", "leadership"
    ),
    PracticeQuestion(
        "failure", "Tell us about something that went wrong because of you, and what you changed.", "failure"
    ),
    PracticeQuestion(
        "team_success", "What is the best team you have worked in, and what was your part in it?", "teamwork"
    ),
    PracticeQuestion(
        "changed_mind", "How did you convince someone senior to change their mind?", "influence"
    ),
    PracticeQuestion(
        "hard_problem", "Walk us through the hardest problem you solved last year.", "problem_solving"
    ),
    PracticeQuestion(
        "big_change", "Describe a change at work you did not choose. How did you handle it?", "change"
    ),
    PracticeQuestion(
        "unhappy_customer", "Tell us about an unhappy customer or user and what you did.", "customer"
    ),
    PracticeQuestion("spotted_gap", "When did you spot a gap nobody owned, and fill it?", "initiative"),
    PracticeQuestion("why_us", "Why this company, and why now?", ""),
    PracticeQuestion("first_90_days", "What would you focus on in your first three months?", ""),
)

# Questions worth asking them, to show you are thinking about the job itself.
QUESTIONS_TO_ASK: tuple[tuple[str, str], ...] = (
    ("team_challenges", "What is the biggest challenge the team is facing this year?"),
    ("six_months", "What would success look like for this role after six months?"),
    ("how_team_works", "How does the team work together day to day, and with other teams?"),
    ("why_open", "Why is this role open, and what happened to the person before?"),
    ("growth", "How do people in this team grow, and what does the next step look like?"),
    ("decision", "What are the next steps, and when can I expect to hear?"),
)
