"""Made-up data for demos and benchmarks: ordinary users, one heavy user, a demo account.

Two ways of writing it, on purpose:

- The demo account goes through the services, so its history, reminders and
  prep look exactly as if a person had clicked through the app.
- Ordinary users and the heavy user are written with bulk_create: tens of
  thousands of rows through the services would take many minutes. Their
  reminders still follow the app's rules (due times, dedupe keys), with
  statuses a dispatcher would have left behind.

Everything is dated relative to `now`, and a seeded random generator makes the
same data for the same seed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.contacts import services as contact_services
from apps.contacts.models import (
    ApplicationContact,
    ApplicationReference,
    Channel,
    Contact,
    ContactKind,
    Direction,
    Interaction,
    InterviewParticipant,
    ReferenceStatus,
)
from apps.journal import checklists
from apps.journal import services as journal_services
from apps.journal.models import Lesson, Reflection
from apps.pipeline import services as pipeline_services
from apps.pipeline.models import (
    Application,
    Company,
    Interview,
    InterviewFormat,
    InterviewOutcome,
    Stage,
    StageChange,
    WorkMode,
)
from apps.prep import services as prep_services
from apps.prep.models import PlanFormat, PrepPlan
from apps.reminders import api as reminders_api
from apps.reminders import kinds, rules
from apps.reminders import services as reminder_services
from apps.reminders.models import Kind, Reminder, ReminderSettings, Status

BATCH_SIZE = 1000
# A demo password, printed in the README on purpose; never a real account's.
DEFAULT_PASSWORD = "second-round-demo"  # noqa: S105
DEMO_EMAIL = "demo@secondround.example"
DEFAULT_SEED = 2026

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

# Where job seekers using an English-language app tend to live, roughly weighted.
TIME_ZONES: tuple[tuple[str, int], ...] = (
    ("Europe/London", 22),
    ("America/New_York", 14),
    ("Europe/Berlin", 9),
    ("America/Los_Angeles", 8),
    ("Asia/Kolkata", 8),
    ("America/Chicago", 6),
    ("Europe/Paris", 5),
    ("America/Toronto", 5),
    ("Australia/Sydney", 4),
    ("Europe/Madrid", 4),
    ("Europe/Dublin", 3),
    ("Asia/Singapore", 3),
    ("America/Sao_Paulo", 3),
    ("Africa/Lagos", 3),
    ("Europe/Amsterdam", 3),
    ("Asia/Tokyo", 2),
    ("Pacific/Auckland", 1),
    ("UTC", 1),
)

# --- Words ----------------------------------------------------------------------

COMPANY_FIRST_WORDS = (
    "Northwind", "Brightwater", "Kestrel", "Larchmont", "Ostara", "Finchley", "Tidewater", "Quayside",
    "Meridian", "Harbour", "Copperleaf", "Northgate", "Velvet", "Ashgrove", "Bluebell", "Cobalt",
    "Driftwood", "Elmstead", "Fernhill", "Granite", "Hawthorn", "Ironbridge", "Juniper", "Kingfisher",
    "Lantern", "Marlow", "Nettle", "Oakridge", "Pebble", "Quarry", "Redwood", "Saltmarsh", "Thistle",
    "Umber", "Vantage", "Willow", "Yarrow", "Zephyr", "Amber", "Birch",
)  # fmt: skip
COMPANY_SECOND_WORDS = (
    "Health", "Logistics", "Energy", "Books", "Maps", "Media", "Bank", "Travel", "Learning", "Games",
    "Insurance", "Labs", "Analytics", "Robotics", "Foods", "Retail", "Payments", "Software", "Studios",
    "Systems", "Mobility", "Security", "Cloud", "Biotech", "Housing",
)  # fmt: skip
ROLES = (
    "Backend Engineer", "Senior Backend Engineer", "Platform Engineer", "Software Engineer",
    "Python Developer", "Data Engineer", "Staff Engineer", "Site Reliability Engineer",
    "Full-Stack Developer", "Engineering Manager", "Product Engineer", "API Engineer",
)  # fmt: skip
SOURCES = ("LinkedIn", "Company website", "Referral", "Recruiter", "Job board", "Meetup", "")
LOCATIONS = (
    "London", "Manchester", "Berlin", "Amsterdam", "New York", "Toronto", "Bristol", "Edinburgh",
    "Dublin", "Remote", "Singapore", "Sydney",
)  # fmt: skip
CURRENCIES = ("GBP", "EUR", "USD", "CAD", "AUD")
FIRST_NAMES = (
    "Priya", "Daniel", "Mei", "Jonas", "Aisha", "Grace", "Tom", "Sarah", "Omar", "Lucia", "Kwame",
    "Hannah", "Ravi", "Elena", "Marcus", "Yuki", "Fatima", "Liam", "Chloe", "Mateo", "Zara", "Ben",
    "Ingrid", "Samuel", "Nadia", "Ethan", "Sofia", "Arjun", "Leah", "Felix",
)  # fmt: skip
LAST_NAMES = (
    "Raman", "Okafor", "Lin", "Berg", "Khan", "Adeyemi", "Fletcher", "Whitfield", "Haddad", "Moreno",
    "Mensah", "Schulz", "Patel", "Rossi", "Brown", "Tanaka", "Ali", "Murphy", "Dubois", "Silva",
    "Novak", "Clarke", "Larsen", "Osei", "Hussein", "Walsh", "Costa", "Iyer", "Cohen", "Weber",
)  # fmt: skip
AGENCIES = ("Harbour Talent", "Bridge Recruitment", "Lighthouse Search", "Compass People", "Signal Hire")
PAST_EMPLOYERS = ("Acorn Digital", "Riverbank Software", "Stonegate Retail", "Pinewood Data")

JOB_TITLES: dict[str, tuple[str, ...]] = {
    ContactKind.RECRUITER_AGENCY: ("Recruitment Consultant", "Senior Consultant", "Talent Partner"),
    ContactKind.RECRUITER_IN_HOUSE: ("Talent Acquisition Partner", "Technical Recruiter", "People Partner"),
    ContactKind.HIRING_MANAGER: ("Engineering Manager", "Head of Platform", "Team Lead"),
    ContactKind.INTERVIEWER: ("Senior Engineer", "Staff Engineer", "Product Manager", "Designer"),
    ContactKind.SENIOR_LEADER: ("VP Engineering", "CTO", "Director of Product"),
    ContactKind.COLLEAGUE: ("Software Engineer", "Data Engineer", "QA Engineer"),
    ContactKind.REFEREE: ("Former manager", "Former team lead", "Former colleague"),
    ContactKind.OTHER: ("Friend in the industry", "Meetup organiser", "Mentor"),
}
CONTACT_KINDS: tuple[tuple[str, int], ...] = (
    (ContactKind.RECRUITER_AGENCY, 14),
    (ContactKind.RECRUITER_IN_HOUSE, 16),
    (ContactKind.HIRING_MANAGER, 20),
    (ContactKind.INTERVIEWER, 26),
    (ContactKind.SENIOR_LEADER, 5),
    (ContactKind.COLLEAGUE, 8),
    (ContactKind.REFEREE, 5),
    (ContactKind.OTHER, 6),
)

ACCOUNTS = (
    "Logged in five minutes early; they started on time. Introductions, then straight into my last "
    "project and why we rebuilt the billing service.",
    "Long day: coffee with the team, a design exercise on the whiteboard, then an hour with the "
    "hiring manager about how the team plans its work.",
    "Short video call. Mostly about my experience with Postgres and how I handle incidents. The "
    "connection dropped once, which threw me for a minute.",
    "Met two engineers and a product manager. The system design part went well; the coding part "
    "was rushed because we ran over on introductions.",
)
WENT_WELL = (
    "The story about cutting checkout latency landed well.",
    "Stayed calm on the system design question and drew it out step by step.",
    "Good rapport with the hiring manager; we laughed about legacy code.",
    "Asked about on-call and got a straight answer.",
)
TO_IMPROVE = (
    "Prepare three questions to ask at the end\nKeep answers under two minutes",
    "Have numbers ready for the migration story",
    "Practise explaining why I am leaving without sounding negative",
    "Slow down on the coding task and talk through the edge cases first",
)
QUESTIONS_ASKED = (
    "How do you handle disagreement in a team?\nWhat would your last manager say about you?",
    "Why do you want to leave your current job?\nHow do you keep a large codebase healthy?",
    "Tell us about a project that failed.\nHow do you decide what to test?",
)
LESSONS = (
    "Prepare three questions to ask at the end",
    "Answer in two minutes, then stop",
    "Have numbers ready for every story",
    "Say why I want this job, not why I want to leave",
    "Check the meeting link and camera ten minutes before",
    "Talk through edge cases before writing code",
)
INTERACTIONS: dict[str, tuple[str, ...]] = {
    "recruiter": (
        "Call about the role and the salary range",
        "Debrief after the interview",
        "Chased for feedback by email",
        "Told me the next round is being arranged",
    ),
    "other": (
        "Thank-you email after the interview",
        "Message on LinkedIn about the team",
        "Coffee chat about what the team is like",
    ),
}
# "Something else" needs words of its own in mistakes_other; the generator ticks only named ones.
NAMED_MISTAKES = [key for key in checklists.keys(checklists.MISTAKES) if key != "other"]
FEEDBACK = (
    "They liked the depth on databases; want more on leading projects.",
    "Strong on technical questions, a bit quiet in the team exercise.",
    "The hiring manager would like to see you again.",
    "",
)


# --- Accounts -------------------------------------------------------------------


def time_zone_choice(rng: random.Random) -> str:
    zones, weights = zip(*TIME_ZONES, strict=True)
    return rng.choices(zones, weights=weights)[0]


def new_rng(seed: int = DEFAULT_SEED) -> random.Random:
    # Demo data, not secrets: a seeded generator so a run can be repeated exactly.
    return random.Random(seed)  # noqa: S311


def confirm_emails(users: Sequence[User]) -> None:
    """Mark each user's address as confirmed, as if they had clicked the link in the email."""
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BATCH_SIZE,
    )


def account_delete(*, email: str) -> bool:
    """Delete the account of that address and everything in it. True if there was one.

    Applications go first: they hold their company with PROTECT, so deleting the
    user alone would stop at the companies.
    """
    users = User.objects.filter(email__iexact=email)
    Application.objects.filter(owner__in=users).delete()
    deleted, _ = users.delete()
    return bool(deleted)


def account_create(*, email: str, password: str, first_name: str, time_zone: str) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, time_zone=time_zone
    )
    confirm_emails([user])
    return user


# --- Sizes and reports ----------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """How much of each thing one user's bulk pipeline holds."""

    applications: int = 2000
    interviews: int = 5000
    reflections: int = 5000
    contacts: int = 1000
    reminders: int = 20000

    def check(self) -> None:
        if min(self.applications, self.interviews, self.reflections, self.contacts, self.reminders) < 0:
            raise ValueError("Sizes cannot be negative.")
        if self.reflections > self.interviews:
            raise ValueError(
                "Each reflection belongs to one interview: ask for no more reflections than interviews."
            )
        if self.applications == 0 and (self.interviews or self.reminders):
            raise ValueError("Interviews and reminders need at least one application.")


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, counts: dict[str, int]) -> None:
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value

    def summary(self) -> str:
        return ", ".join(f"{value:,} {name}" for name, value in self.counts.items())


# --- Bulk pipeline: applications and their history ----------------------------

# (stage it ends in, furthest stage reached before that, weight): the shape of a long search.
OUTCOMES: tuple[tuple[str, str, int], ...] = (
    (Stage.INTERESTED, Stage.INTERESTED, 3),
    (Stage.APPLIED, Stage.APPLIED, 14),
    (Stage.SCREENING, Stage.SCREENING, 5),
    (Stage.FIRST_INTERVIEW, Stage.FIRST_INTERVIEW, 5),
    (Stage.SECOND_INTERVIEW, Stage.SECOND_INTERVIEW, 3),
    (Stage.FINAL_ROUND, Stage.FINAL_ROUND, 2),
    (Stage.REFERENCE_CHECK, Stage.REFERENCE_CHECK, 1),
    (Stage.OFFER, Stage.OFFER, 1),
    (Stage.NO_REPLY, Stage.APPLIED, 20),
    (Stage.REJECTED, Stage.APPLIED, 12),
    (Stage.REJECTED, Stage.SCREENING, 10),
    (Stage.REJECTED, Stage.FIRST_INTERVIEW, 9),
    (Stage.REJECTED, Stage.SECOND_INTERVIEW, 5),
    (Stage.REJECTED, Stage.FINAL_ROUND, 3),
    (Stage.WITHDRAWN, Stage.SCREENING, 2),
    (Stage.WITHDRAWN, Stage.FIRST_INTERVIEW, 2),
    (Stage.WITHDRAWN, Stage.OFFER, 1),  # an offer declined
)
LADDER = (
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.FIRST_INTERVIEW,
    Stage.SECOND_INTERVIEW,
    Stage.FINAL_ROUND,
    Stage.REFERENCE_CHECK,
    Stage.OFFER,
)
INTERVIEW_STAGES = {Stage.SCREENING, Stage.FIRST_INTERVIEW, Stage.SECOND_INTERVIEW, Stage.FINAL_ROUND}
LATE_STAGES = {Stage.SECOND_INTERVIEW, Stage.FINAL_ROUND, Stage.REFERENCE_CHECK, Stage.OFFER}


@dataclass
class PlannedApplication:
    """An application with the facts the later steps need: its path and whether a round is coming."""

    application: Application
    path: list[str]
    step_times: list[dt.datetime]
    round_coming: bool
    interviews: list[Interview] = field(default_factory=list)

    @property
    def natural_rounds(self) -> int:
        return sum(stage in INTERVIEW_STAGES for stage in self.path)

    @property
    def reached_late_stage(self) -> bool:
        return any(stage in LATE_STAGES for stage in self.path)


def _stage_path(final: str, furthest: str, rng: random.Random) -> list[str]:
    if final == Stage.INTERESTED:
        return [Stage.INTERESTED]
    steps = list(LADDER[: LADDER.index(furthest) + 1])
    # Some companies skip the screening call and go straight to an interview.
    if len(steps) > 2 and rng.random() < 0.3:
        steps.remove(Stage.SCREENING)
    if final != furthest:
        steps.append(final)
    return steps


def _spread(start: dt.datetime, end: dt.datetime, count: int, rng: random.Random) -> list[dt.datetime]:
    """`count` sorted moments from start to end: the first at start, the last at end."""
    if count == 1:
        return [end]
    span = (end - start).total_seconds()
    middle = sorted(start + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(count - 2))
    return [start, *middle, end]


def _company_names(count: int, rng: random.Random) -> list[str]:
    names = [f"{first} {second}" for first in COMPANY_FIRST_WORDS for second in COMPANY_SECOND_WORDS]
    rng.shuffle(names)
    return names[: max(1, min(count, len(names)))]


def _companies(owner: User, applications: int, rng: random.Random) -> list[Company]:
    # A long search goes back to some companies: about five applications for every two companies.
    names = _company_names(math.ceil(applications * 2 / 5), rng)
    companies = [
        Company(owner=owner, name=name, website=f"https://{name.lower().replace(' ', '')}.example")
        for name in names
    ]
    return Company.objects.bulk_create(companies, batch_size=BATCH_SIZE)


def _application(owner: User, company: Company, rng: random.Random, now: dt.datetime) -> PlannedApplication:
    finals, furthests, weights = zip(*OUTCOMES, strict=True)
    index = rng.choices(range(len(OUTCOMES)), weights=weights)[0]
    final, furthest = finals[index], furthests[index]
    closed = final in Stage.exits()
    # Open applications are recent; closed ones go back a year.
    created_at = now - DAY * (rng.uniform(14, 365) if closed else rng.uniform(1, 60))
    changed_at = created_at + (now - created_at) * rng.uniform(0.3, 0.95)
    path = _stage_path(final, furthest, rng)
    salary_min = rng.choice((None, 45_000, 55_000, 65_000, 75_000, 90_000))
    application = Application(
        owner=owner,
        company=company,
        role_title=rng.choice(ROLES),
        job_url=f"{company.website}/careers/{rng.randint(100, 9999)}",
        source=rng.choice(SOURCES),
        location=rng.choice(LOCATIONS),
        work_mode=rng.choice(WorkMode.values),
        salary_min=salary_min,
        salary_max=salary_min + rng.choice((5_000, 10_000, 20_000)) if salary_min else None,
        salary_currency=rng.choice(CURRENCIES) if salary_min else "",
        stage=final,
        stage_changed_at=changed_at,
        excitement=rng.choice((None, 1, 2, 3, 3, 4, 4, 5)),
        archived=closed and rng.random() < 0.3,
        created_at=created_at,
    )
    round_coming = not closed and final in INTERVIEW_STAGES and rng.random() < 0.5
    if not closed and final in INTERVIEW_STAGES | LATE_STAGES and rng.random() < 0.4:
        application.decision_expected_on = (changed_at + DAY * rng.uniform(3, 14)).date()
    return PlannedApplication(
        application, path, _spread(created_at, changed_at, len(path), rng), round_coming
    )


def _applications(
    owner: User, companies: Sequence[Company], count: int, rng: random.Random, now: dt.datetime
) -> list[PlannedApplication]:
    plans = [_application(owner, companies[n % len(companies)], rng, now) for n in range(count)]
    Application.objects.bulk_create([plan.application for plan in plans], batch_size=BATCH_SIZE)
    history = [
        StageChange(
            application=plan.application,
            from_stage=previous or "",
            to_stage=stage,
            changed_at=changed_at,
        )
        for plan in plans
        for previous, stage, changed_at in zip([None, *plan.path], plan.path, plan.step_times, strict=False)
    ]
    StageChange.objects.bulk_create(history, batch_size=BATCH_SIZE)
    return plans


# --- Bulk pipeline: interviews --------------------------------------------------


def _rounds_per_application(plans: Sequence[PlannedApplication], total: int, rng: random.Random) -> list[int]:
    """How many interviews each application gets, adding up to `total`.

    1. Applications that reached an interview stage first get the rounds their history implies.
    2. What is left is spread one at a time over them: extra rounds (tasks, panels, a second
       call with the hiring manager). With no such application, over all of them.
    """
    eligible = [n for n, plan in enumerate(plans) if plan.natural_rounds] or list(range(len(plans)))
    rng.shuffle(eligible)
    counts = [0] * len(plans)
    remaining = total
    for n in eligible:
        given = min(plans[n].natural_rounds, remaining)
        counts[n] += given
        remaining -= given
    for n in itertools.islice(itertools.cycle(eligible), remaining):
        counts[n] += 1
    return counts


def _local_working_hour(moment: dt.datetime, zone: zoneinfo.ZoneInfo, rng: random.Random) -> dt.datetime:
    """A time in office hours, in the person's own time zone, on the day of `moment`."""
    day = moment.astimezone(zone).date()
    local = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 30))), tzinfo=zone)
    return local.astimezone(dt.UTC)


def _interview_times(
    plan: PlannedApplication, count: int, zone: zoneinfo.ZoneInfo, rng: random.Random, now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    past = count - 1 if plan.round_coming else count
    start = plan.application.created_at + 2 * DAY
    end = max(plan.application.stage_changed_at, start + DAY)
    times = []
    for moment in _spread(start, end, past, rng) if past else []:
        starts_at = _local_working_hour(moment, zone, rng)
        minutes = rng.choice((30, 45, 60, 60, 90, 120))
        while starts_at + dt.timedelta(minutes=minutes) > now - HOUR:
            starts_at -= DAY
        times.append((starts_at, starts_at + dt.timedelta(minutes=minutes)))
    if plan.round_coming:
        starts_at = _local_working_hour(now + DAY * rng.uniform(1, 10), zone, rng)
        times.append((starts_at, starts_at + dt.timedelta(minutes=rng.choice((45, 60, 90)))))
    return sorted(times)


def _interview_format(round_number: int, rng: random.Random) -> str:
    if round_number == 1:
        return rng.choice((InterviewFormat.PHONE, InterviewFormat.VIDEO, InterviewFormat.VIDEO))
    return rng.choice(
        (InterviewFormat.VIDEO, InterviewFormat.ON_SITE, InterviewFormat.PANEL, InterviewFormat.TASK)
    )


def _last_outcome(stage: str) -> str:
    return {Stage.REJECTED: InterviewOutcome.REJECTED, Stage.WITHDRAWN: InterviewOutcome.WITHDRAWN}.get(
        stage, InterviewOutcome.PENDING
    )


def _interviews(
    plans: Sequence[PlannedApplication],
    total: int,
    zone: zoneinfo.ZoneInfo,
    rng: random.Random,
    now: dt.datetime,
) -> list[Interview]:
    interviews = []
    for plan, count in zip(plans, _rounds_per_application(plans, total, rng), strict=True):
        times = _interview_times(plan, count, zone, rng, now)
        for number, (starts_at, ends_at) in enumerate(times, start=1):
            last = number == len(times)
            fmt = _interview_format(number, rng)
            cancelled = not last and rng.random() < 0.04
            interview = Interview(
                application=plan.application,
                # The model allows 20 rounds; a tiny data set asked for many interviews repeats the last.
                round_number=min(number, 20),
                starts_at=starts_at,
                ends_at=ends_at,
                format=fmt,
                location="https://meet.example/" + f"{rng.getrandbits(40):010x}"
                if fmt in (InterviewFormat.VIDEO, InterviewFormat.PHONE)
                else f"{plan.application.company.name}, {plan.application.location or 'head office'}",
                outcome=(
                    InterviewOutcome.PENDING
                    if cancelled
                    else _last_outcome(plan.application.stage)
                    if last
                    else InterviewOutcome.PASSED
                ),
                cancelled_at=starts_at - DAY if cancelled else None,
                created_at=min(starts_at - DAY * rng.uniform(2, 10), now),
            )
            plan.interviews.append(interview)
            interviews.append(interview)
    return Interview.objects.bulk_create(interviews, batch_size=BATCH_SIZE)


def _prep_plans(interviews: Sequence[Interview], rng: random.Random, now: dt.datetime) -> list[PrepPlan]:
    """Half the coming second-and-later rounds have a plan started, as a keen person would."""
    plans = [
        PrepPlan(
            interview=interview,
            format=PlanFormat.PANEL if interview.format == InterviewFormat.PANEL else PlanFormat.ONE_TO_ONE,
            duration_minutes=int((interview.ends_at - interview.starts_at).total_seconds() // 60),
            recruiter_checks=["format", "who", "length"],
            areas={"interest": {"notes": "Their mission, in my words.", "ready": True}},
            created_at=now - DAY,
        )
        for interview in interviews
        if interview.starts_at > now and interview.round_number >= 2 and rng.random() < 0.5
    ]
    return PrepPlan.objects.bulk_create(plans, batch_size=BATCH_SIZE)


# --- Bulk pipeline: reflections and lessons ------------------------------------


def _reflection_order(
    interviews: Sequence[Interview], rng: random.Random, now: dt.datetime
) -> list[Interview]:
    """Past interviews first (most get a reflection), then cancelled ones, then coming ones (notes ahead)."""
    past = [i for i in interviews if i.cancelled_at is None and i.ends_at <= now]
    cancelled = [i for i in interviews if i.cancelled_at is not None]
    coming = [i for i in interviews if i.cancelled_at is None and i.ends_at > now]
    rng.shuffle(past)
    return past + cancelled + coming


def _reflection(interview: Interview, rng: random.Random, now: dt.datetime) -> Reflection:
    written_at = min(interview.ends_at + HOUR * rng.uniform(1, 30), now)
    # A fresh one may still be a draft; anything older was finished.
    final = interview.ends_at < now - 3 * DAY or rng.random() < 0.5
    scores = [rng.randint(1, 5) for _ in range(5)]
    return Reflection(
        interview=interview,
        account=rng.choice(ACCOUNTS),
        went_well=rng.choice(WENT_WELL),
        to_improve=rng.choice(TO_IMPROVE),
        questions_asked=rng.choice(QUESTIONS_ASKED),
        good_signs=rng.sample(checklists.keys(checklists.GOOD_SIGNS), rng.randint(0, 4)),
        warning_signs=rng.sample(checklists.keys(checklists.WARNING_SIGNS), rng.choice((0, 0, 0, 1))),
        mistakes=rng.sample(NAMED_MISTAKES, rng.randint(0, 2)),
        confidence=scores[0],
        job_score=scores[1],
        company_score=scores[2],
        manager_score=scores[3],
        gut_score=scores[4],
        gut_note="Good feeling about the team." if scores[4] >= 4 else "",
        status=Reflection.Status.FINAL if final else Reflection.Status.DRAFT,
        version=rng.randint(1, 6),
        created_at=written_at,
        updated_at=written_at,
        finalised_at=written_at if final else None,
    )


def _lesson(owner: User, reflection: Reflection, rng: random.Random, now: dt.datetime) -> Lesson:
    # Lessons from more than a month ago have mostly been practised since.
    practised = reflection.created_at < now - 30 * DAY and rng.random() < 0.6
    return Lesson(
        owner=owner,
        reflection=reflection,
        text=rng.choice(LESSONS),
        status=Lesson.Status.PRACTISED if practised else Lesson.Status.OPEN,
        practised_at=reflection.created_at + 7 * DAY if practised else None,
        created_at=reflection.created_at,
    )


def _reflections(
    owner: User, interviews: Sequence[Interview], count: int, rng: random.Random, now: dt.datetime
) -> tuple[list[Reflection], list[Lesson]]:
    chosen = _reflection_order(interviews, rng, now)[:count]
    reflections = Reflection.objects.bulk_create(
        [_reflection(interview, rng, now) for interview in chosen], batch_size=BATCH_SIZE
    )
    lessons = [_lesson(owner, reflection, rng, now) for reflection in reflections if rng.random() < 0.3]
    return reflections, Lesson.objects.bulk_create(lessons, batch_size=BATCH_SIZE)


# --- Bulk pipeline: people ------------------------------------------------------


@dataclass
class People:
    contacts: list[Contact]
    links: list[ApplicationContact]
    participants: list[InterviewParticipant]
    interactions: list[Interaction]
    references: list[ApplicationReference]


def _contact(
    owner: User, number: int, plans: Sequence[PlannedApplication], rng: random.Random, now: dt.datetime
) -> tuple[Contact, list[PlannedApplication]]:
    kinds, weights = zip(*CONTACT_KINDS, strict=True)
    kind = rng.choices(kinds, weights=weights)[0]
    if kind == ContactKind.REFEREE:
        pool = [plan for plan in plans if plan.reached_late_stage] or list(plans)
        linked = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        company = rng.choice(PAST_EMPLOYERS)
    elif kind == ContactKind.RECRUITER_AGENCY:
        linked = rng.sample(list(plans), min(len(plans), rng.randint(1, 4)))
        company = rng.choice(AGENCIES)
    else:
        linked = rng.sample(list(plans), min(len(plans), 1))
        company = linked[0].application.company.name if linked else rng.choice(PAST_EMPLOYERS)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    met_at = min((plan.application.created_at for plan in linked), default=now - DAY * rng.uniform(1, 365))
    contact = Contact(
        owner=owner,
        name=f"{first} {last}",
        kind=kind,
        company=company,
        job_title=rng.choice(JOB_TITLES[kind]),
        email=f"{first}.{last}.{number}@{company.lower().replace(' ', '')}.example".lower(),
        phone=f"+44 7700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.4 else "",
        created_at=met_at,
    )
    return contact, linked


def _participants(
    contact: Contact, linked: Sequence[PlannedApplication], rng: random.Random
) -> list[InterviewParticipant]:
    if contact.kind not in (
        ContactKind.HIRING_MANAGER,
        ContactKind.INTERVIEWER,
        ContactKind.SENIOR_LEADER,
        ContactKind.COLLEAGUE,
    ):
        return []
    interviews = [interview for plan in linked for interview in plan.interviews]
    return [
        InterviewParticipant(interview=interview, contact=contact, name=contact.name, role=contact.kind)
        for interview in rng.sample(interviews, min(len(interviews), rng.randint(1, 2)))
    ]


def _interactions(
    contact: Contact, linked: Sequence[PlannedApplication], rng: random.Random, now: dt.datetime
) -> list[Interaction]:
    recruiter = contact.kind in ContactKind.recruiters()
    made = []
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        plan = rng.choice(linked) if linked else None
        since = plan.application.created_at if plan else contact.created_at
        happened_at = since + (now - since) * rng.random()
        summary = rng.choice(INTERACTIONS["recruiter" if recruiter else "other"])
        debrief = recruiter and summary.startswith("Debrief")
        made.append(
            Interaction(
                owner=contact.owner,
                contact=contact,
                application=plan.application if plan else None,
                happened_at=happened_at,
                channel=rng.choice(Channel.values),
                direction=rng.choice(Direction.values),
                summary=summary,
                feedback=rng.choice(FEEDBACK) if debrief else "",
                is_debrief=debrief,
                created_at=happened_at,
            )
        )
    return made


def _reference(
    contact: Contact, plan: PlannedApplication, rng: random.Random, now: dt.datetime
) -> ApplicationReference:
    asked_at = plan.application.created_at + (now - plan.application.created_at) * rng.uniform(0.3, 0.9)
    status = rng.choice(ReferenceStatus.values)
    steps = ReferenceStatus.values.index(status)
    return ApplicationReference(
        application=plan.application,
        referee=contact,
        status=status,
        what_to_stress="The platform migration and how I mentor juniors.",
        asked_at=asked_at,
        heads_up_at=asked_at + DAY if steps >= 1 else None,
        given_at=asked_at + 3 * DAY if steps >= 2 else None,
        thanked_at=asked_at + 4 * DAY if steps >= 3 else None,
    )


def _people(
    owner: User, plans: Sequence[PlannedApplication], count: int, rng: random.Random, now: dt.datetime
) -> People:
    made = [_contact(owner, number, plans, rng, now) for number in range(count)]
    contacts = Contact.objects.bulk_create([contact for contact, _ in made], batch_size=BATCH_SIZE)
    links, participants, interactions, references = [], [], [], []
    for contact, linked in made:
        links += [
            ApplicationContact(
                application=plan.application, contact=contact, role=contact.kind, added_at=contact.created_at
            )
            for plan in linked
        ]
        participants += _participants(contact, linked, rng)
        interactions += _interactions(contact, linked, rng, now)
        if contact.kind == ContactKind.REFEREE:
            references += [_reference(contact, plan, rng, now) for plan in linked]
    return People(
        contacts=contacts,
        links=ApplicationContact.objects.bulk_create(links, batch_size=BATCH_SIZE),
        participants=InterviewParticipant.objects.bulk_create(participants, batch_size=BATCH_SIZE),
        interactions=Interaction.objects.bulk_create(interactions, batch_size=BATCH_SIZE),
        references=ApplicationReference.objects.bulk_create(references, batch_size=BATCH_SIZE),
    )


# --- Bulk pipeline: reminders ---------------------------------------------------


# The defaults a new account has: demo data is made as if nobody changed their settings.
DEFAULT_REMINDER_SETTINGS = ReminderSettings()


def _reminder(kind: str, about: object, due_at: dt.datetime, occasion: str = "") -> Reminder:
    """A reminder as the app would have made it, at a time the seed chooses (often long past)."""
    planned = reminders_api.plan(
        kind=kind, about=about, due_at=due_at, occasion=occasion, preferences=DEFAULT_REMINDER_SETTINGS
    )
    assert planned is not None  # every kind is on by default  # noqa: S101
    return planned


def _interview_reminders(owner: User, interview: Interview, zone: zoneinfo.ZoneInfo) -> list[Reminder]:
    """The four reminders an interview brings, at the times the rules give them (default settings)."""
    planned = (
        (Kind.PREP_REVIEW, interview.starts_at - 24 * HOUR),
        (Kind.THANK_YOU, interview.ends_at + 2 * HOUR),
        (Kind.RECRUITER_DEBRIEF, interview.ends_at),
        (Kind.REFLECTION_PROMPT, rules.reflection_prompt_due(interview.ends_at, zone)),
    )
    return [_reminder(kind, interview, due_at) for kind, due_at in planned]


def _other_reminders(
    owner: User,
    plans: Sequence[PlannedApplication],
    references: Sequence[ApplicationReference],
    zone: zoneinfo.ZoneInfo,
) -> list[Reminder]:
    made = []
    for plan in plans:
        decision = plan.application.decision_expected_on
        if decision is not None:
            due_at = rules.follow_up_due(decision, zone)
            made.append(_reminder(Kind.FOLLOW_UP, plan.application, due_at, occasion=str(decision)))
    for reference in references:
        steps = [(Kind.REFERENCE_HEADS_UP, reference.asked_at)]
        if reference.given_at:
            steps.append((Kind.REFERENCE_THANKS, reference.given_at))
        made += [_reminder(kind, reference, due_at) for kind, due_at in steps]
    return made


def _nudges(owner: User, plans: Sequence[PlannedApplication], count: int, now: dt.datetime) -> list[Reminder]:
    """Nudges for quiet spells: one per application per fortnight of silence, as many as asked.

    The hourly job makes a nudge when the spell is noticed, never ahead of time: a spell
    that would end in the future is dated a little before now instead (an hour per spell
    apart, so each key stays unique).
    """
    made: list[Reminder] = []
    seen: set[str] = set()
    for spell in itertools.count(1):
        for plan in plans:
            if len(made) == count:
                return made
            due_at = plan.application.stage_changed_at + spell * rules.QUIET_APPLICATION_AFTER
            if due_at > now:
                due_at = now - spell * HOUR
            # The occasion names the moment, as the hourly nudge job's does.
            nudge = _reminder(Kind.NUDGE, plan.application, due_at, occasion=f"{due_at:%Y%m%d%H%M%S}")
            if nudge.dedupe_key not in seen:  # two spells dated in the same second would share a key
                seen.add(nudge.dedupe_key)
                made.append(nudge)
    return made


def _close_finished_reference_steps(
    reminders: Sequence[Reminder], references: Sequence[ApplicationReference]
) -> None:
    """A heads-up already given, or a thank-you already sent, is done whatever its age."""
    finished_at = {}
    for reference in references:
        finished_at[kinds.get(Kind.REFERENCE_HEADS_UP).dedupe_key(reference.pk)] = reference.heads_up_at
        finished_at[kinds.get(Kind.REFERENCE_THANKS).dedupe_key(reference.pk)] = reference.thanked_at
    for reminder in reminders:
        done_at = finished_at.get(reminder.dedupe_key)
        if done_at is not None:
            reminder.status, reminder.closed_at = Status.DONE, done_at


def _settle(reminder: Reminder, rng: random.Random, now: dt.datetime) -> Reminder:
    """Leave the reminder as the dispatcher and the person would have by now."""
    age = now - reminder.due_at
    if age < dt.timedelta(0):
        reminder.status = Status.SNOOZED if rng.random() < 0.1 else Status.PENDING
        if reminder.status == Status.SNOOZED:
            reminder.due_at = reminder.next_try_at = reminder.due_at + reminder_services.SNOOZE
        return reminder
    recent = age <= rules.POST_INTERVIEW_CUTOFF
    statuses, weights = (
        ((Status.PENDING, Status.SENT, Status.DONE, Status.FAILED), (40, 35, 20, 5))
        if recent
        else ((Status.DONE, Status.DISMISSED, Status.SENT, Status.FAILED), (60, 25, 10, 5))
    )
    reminder.status = rng.choices(statuses, weights=weights)[0]
    if reminder.status in (Status.SENT, Status.DONE):
        reminder.attempts, reminder.sent_at = 1, reminder.due_at + dt.timedelta(minutes=rng.randint(0, 5))
    if reminder.status in (Status.DONE, Status.DISMISSED):
        reminder.closed_at = min(reminder.due_at + HOUR * rng.uniform(1, 48), now)
    if reminder.status == Status.FAILED:
        reminder.attempts = 5
        reminder.last_error = "SMTP 451: mailbox temporarily unavailable; gave up after 5 tries"
        reminder.next_try_at = reminder.due_at + HOUR * 8
    return reminder


def _reminders(
    owner: User,
    plans: Sequence[PlannedApplication],
    interviews: Sequence[Interview],
    references: Sequence[ApplicationReference],
    count: int,
    zone: zoneinfo.ZoneInfo,
    rng: random.Random,
    now: dt.datetime,
) -> list[Reminder]:
    """`count` reminders of mixed kinds: mostly about interviews, some follow-ups, references and nudges."""
    candidates = [
        reminder
        for interview in interviews
        if interview.cancelled_at is None
        for reminder in _interview_reminders(owner, interview, zone)
    ] + _other_reminders(owner, plans, references, zone)
    rng.shuffle(candidates)
    # Keep a twentieth for nudges whatever the rest, so every kind shows up.
    chosen = candidates[: count - count // 20]
    chosen += _nudges(owner, plans, count - len(chosen), now)
    settled = [_settle(reminder, rng, now) for reminder in chosen]
    _close_finished_reference_steps(settled, references)
    reminders_api.schedule_many(settled)
    return settled


# --- Bulk pipeline: putting it together -----------------------------------------


def _restore_auto_now(owner_ids: Sequence[int]) -> None:
    """bulk_create stamps auto_now fields with this moment; put them back in the story's past."""
    Application.objects.filter(owner_id__in=owner_ids).update(updated_at=F("stage_changed_at"))
    Interview.objects.filter(application__owner_id__in=owner_ids).update(updated_at=F("created_at"))
    Contact.objects.filter(owner_id__in=owner_ids).update(updated_at=F("created_at"))


def refresh_statistics() -> None:
    """Bring the query planner's statistics up to date after a bulk load.

    Until autovacuum gets round to it, Postgres plans queries on freshly loaded
    tables as if they were nearly empty; a benchmark run straight after seeding
    would then measure plans no settled database would use.
    """
    if connection.vendor != "postgresql":
        return
    models = (
        User, EmailAddress, Company, Application, StageChange, Interview, PrepPlan, Reflection, Lesson,
        Contact, ApplicationContact, InterviewParticipant, Interaction, ApplicationReference, Reminder,
    )  # fmt: skip
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def pipeline_bulk_create(
    *, owner: User, sizes: Sizes, rng: random.Random, now: dt.datetime
) -> dict[str, int]:
    """One user's whole search, written with bulk inserts. Returns what was made, by name."""
    sizes.check()
    zone = owner.zone
    companies = _companies(owner, sizes.applications, rng) if sizes.applications else []
    plans = _applications(owner, companies, sizes.applications, rng, now) if sizes.applications else []
    interviews = _interviews(plans, sizes.interviews, zone, rng, now)
    prep_plans = _prep_plans(interviews, rng, now)
    reflections, lessons = _reflections(owner, interviews, sizes.reflections, rng, now)
    people = _people(owner, plans, sizes.contacts, rng, now)
    reminders = _reminders(owner, plans, interviews, people.references, sizes.reminders, zone, rng, now)
    return {
        "applications": len(plans),
        "stage changes": sum(len(plan.path) for plan in plans),
        "interviews": len(interviews),
        "prep plans": len(prep_plans),
        "reflections": len(reflections),
        "lessons": len(lessons),
        "contacts": len(people.contacts),
        "application links": len(people.links),
        "interview participants": len(people.participants),
        "interactions": len(people.interactions),
        "references": len(people.references),
        "reminders": len(reminders),
    }


def seed_heavy_user(
    *,
    email: str,
    password: str = DEFAULT_PASSWORD,
    sizes: Sizes | None = None,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
) -> SeedReport:
    """One user with a very long search, for benchmarks. The email must not be taken yet."""
    sizes = sizes or Sizes()
    sizes.check()
    started = time.perf_counter()
    rng, now = new_rng(seed), now or timezone.now()
    report = SeedReport()
    with transaction.atomic():
        user = account_create(
            email=email, password=password, first_name="Harper", time_zone=time_zone_choice(rng)
        )
        report.add(pipeline_bulk_create(owner=user, sizes=sizes, rng=rng, now=now))
        _restore_auto_now([user.pk])
    refresh_statistics()
    report.seconds = time.perf_counter() - started
    return report


def _ordinary_sizes(rng: random.Random) -> Sizes:
    applications = rng.randint(4, 9)
    interviews = rng.randint(2, 6)
    return Sizes(
        applications=applications,
        interviews=interviews,
        reflections=rng.randint(1, min(interviews, 4)),
        contacts=rng.randint(3, 7),
        reminders=rng.randint(4, 12),
    )


def seed_users(
    *, count: int, password: str = DEFAULT_PASSWORD, seed: int = DEFAULT_SEED, now: dt.datetime | None = None
) -> SeedReport:
    """user1@example.com ... user{count}@example.com, each with a small pipeline.

    Addresses already taken are left as they are, so running it again tops up
    instead of failing. The password is hashed once for all of them: a strong
    hash costs most of a second, and a thousand of them would dominate the run.
    """
    started = time.perf_counter()
    rng, now = new_rng(seed), now or timezone.now()
    emails = [f"user{number}@example.com" for number in range(1, count + 1)]
    taken = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password_hash = make_password(password)
    report = SeedReport(counts={"users": 0})
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=email,
                    password=password_hash,
                    first_name=rng.choice(FIRST_NAMES),
                    time_zone=time_zone_choice(rng),
                    date_joined=now - DAY * rng.uniform(1, 120),
                )
                for email in emails
                if email not in taken
            ],
            batch_size=BATCH_SIZE,
        )
        confirm_emails(users)
        report.counts["users"] = len(users)
        for user in users:
            report.add(pipeline_bulk_create(owner=user, sizes=_ordinary_sizes(rng), rng=rng, now=now))
        _restore_auto_now([user.pk for user in users])
    refresh_statistics()
    report.seconds = time.perf_counter() - started
    return report


# --- The demo account: a believable story, told through the services --------------


@dataclass(frozen=True)
class DemoReflection:
    account: str
    went_well: str
    to_improve: str
    questions_asked: str = ""
    good_signs: tuple[str, ...] = ()
    warning_signs: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    scores: tuple[int, int, int, int, int] = (3, 3, 3, 3, 3)  # confidence, job, company, manager, gut
    gut_note: str = ""
    lessons: tuple[str, ...] = ()
    # Lessons already practised since (the older ones).
    practised: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoInterview:
    days: int  # from today, in the person's time zone; negative is past
    hour: int
    minutes: int
    format: str
    location: str = ""
    reflection: DemoReflection | None = None


@dataclass(frozen=True)
class DemoApplication:
    key: str
    company: str
    role: str
    applied_days_ago: int
    moves: tuple[tuple[str, int], ...] = ()  # (stage, days ago), in order
    interviews: tuple[DemoInterview, ...] = ()
    first_stage: str = Stage.APPLIED
    source: str = "LinkedIn"
    location: str = "London"
    work_mode: str = WorkMode.HYBRID
    salary: tuple[int, int] | None = None
    excitement: int | None = None
    next_step: str = ""
    notes: str = ""
    decision_in_days: int | None = None


BRIGHTWATER_ROUND_ONE = DemoReflection(
    account=(
        "Video call with Daniel (head of platform) and Mei (staff engineer). Daniel opened with the "
        "team's plans for the patient-records platform, then asked about the billing migration. Mei ran "
        "a design discussion: an appointment service for a hospital group. We ran twenty minutes over."
    ),
    went_well="The incident story: clear, honest about my part.\nStayed calm on the design question.",
    to_improve="Keep the incident story under two minutes\nHave numbers ready for the scaling question",
    questions_asked=(
        "How would this design hold up at ten times the traffic?\n"
        "What would you do differently in the billing migration?\n"
        "What happens if a large hospital group signs up tomorrow?"
    ),
    good_signs=("ran_long", "felt_like_conversation", "spoke_of_me_in_role", "next_steps_clear"),
    mistakes=("rambled",),
    scores=(4, 5, 4, 5, 5),
    gut_note="Yes, and the facts back it up: the work, the pace and the people.",
    lessons=("Answer in two minutes, then stop", "Have numbers ready for every story"),
)
COPPERLEAF_ROUND_ONE = DemoReflection(
    account="An hour with two engineers. Friendly, but I went on too long about my current job.",
    went_well="The API design question.",
    to_improve="Prepare three questions to ask at the end\nSay why I want this job, not why I want to leave",
    good_signs=("interviewer_engaged",),
    warning_signs=("switched_to_coaching",),
    mistakes=("no_questions_prepared", "rambled"),
    scores=(2, 3, 3, 3, 2),
    lessons=("Prepare three questions to ask at the end", "Say why I want this job, not why I want to leave"),
    practised=("Prepare three questions to ask at the end",),
)
FINCHLEY_ROUND_ONE = DemoReflection(
    account="Omar walked me through their routing engine; mostly about how I test and ship.",
    went_well="Good questions about their release process.",
    to_improve="Read their engineering blog before round two",
    good_signs=("questions_answered", "left_excited"),
    scores=(3, 4, 4, 4, 4),
)
FINCHLEY_ROUND_TWO = DemoReflection(
    account="Presented the take-home (a caching plan) to three people. The projector failed at the start.",
    went_well="The trade-offs slide started a real discussion.",
    to_improve="Rehearse the presentation out loud twice",
    warning_signs=("cut_short",),
    mistakes=("froze",),
    scores=(3, 4, 4, 3, 3),
    lessons=("Rehearse the presentation out loud twice",),
    practised=("Rehearse the presentation out loud twice",),
)
TIDEWATER_FINAL = DemoReflection(
    account="Met the CTO and two future colleagues. They asked about my notice period and start date.",
    went_well="Felt like a conversation between future colleagues.",
    to_improve="Decide my salary floor before the call, not during it",
    good_signs=("closing_questions", "met_decision_makers", "met_colleagues", "next_steps_clear"),
    scores=(4, 3, 4, 4, 3),
    gut_note="A good offer would be hard to refuse, but Brightwater excites me more.",
    lessons=("Decide my salary floor before the call",),
)

DEMO_APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication(
        key="brightwater",
        company="Brightwater Health",
        role="Senior Backend Engineer",
        applied_days_ago=30,
        source="Referral",
        salary=(75_000, 85_000),
        excitement=5,
        next_step="Panel interview at their office",
        notes="Patient-records platform; Python and Postgres; team of eight.",
        moves=((Stage.SCREENING, 24), (Stage.FIRST_INTERVIEW, 12), (Stage.SECOND_INTERVIEW, 5)),
        interviews=(
            DemoInterview(
                -8,
                14,
                80,
                InterviewFormat.VIDEO,
                "https://meet.example/brightwater-r1",
                BRIGHTWATER_ROUND_ONE,
            ),
            DemoInterview(2, 10, 120, InterviewFormat.PANEL, "Brightwater Health, 12 Canal Street, London"),
        ),
    ),
    DemoApplication(
        key="larchmont",
        company="Larchmont Logistics",
        role="Platform Engineer",
        applied_days_ago=14,
        source="Recruiter",
        location="Manchester",
        work_mode=WorkMode.REMOTE,
        excitement=3,
        next_step="Video interview with the platform team",
        moves=((Stage.SCREENING, 9), (Stage.FIRST_INTERVIEW, 3)),
        interviews=(DemoInterview(1, 15, 45, InterviewFormat.VIDEO, "https://meet.example/larchmont"),),
    ),
    DemoApplication(
        key="kestrel",
        company="Kestrel Energy",
        role="Backend Developer",
        applied_days_ago=6,
        source="Company website",
        excitement=4,
        moves=((Stage.SCREENING, 2),),
        interviews=(DemoInterview(4, 11, 30, InterviewFormat.PHONE, "They will call my mobile"),),
    ),
    DemoApplication(
        key="ostara",
        company="Ostara Books",
        role="Software Engineer",
        applied_days_ago=18,
        work_mode=WorkMode.ON_SITE,
        excitement=3,
        moves=((Stage.FIRST_INTERVIEW, 6),),
        interviews=(DemoInterview(-1, 13, 60, InterviewFormat.VIDEO, "https://meet.example/ostara"),),
    ),
    DemoApplication(
        key="finchley",
        company="Finchley Maps",
        role="Senior Engineer",
        applied_days_ago=40,
        source="Recruiter",
        salary=(80_000, 90_000),
        excitement=4,
        next_step="Final round with the CTO",
        moves=(
            (Stage.SCREENING, 35),
            (Stage.FIRST_INTERVIEW, 28),
            (Stage.SECOND_INTERVIEW, 15),
            (Stage.FINAL_ROUND, 6),
        ),
        interviews=(
            DemoInterview(
                -26, 10, 60, InterviewFormat.VIDEO, "https://meet.example/finchley", FINCHLEY_ROUND_ONE
            ),
            DemoInterview(
                -13, 14, 90, InterviewFormat.TASK, "Finchley Maps, 3 Mercer Yard, London", FINCHLEY_ROUND_TWO
            ),
            DemoInterview(5, 9, 180, InterviewFormat.ON_SITE, "Finchley Maps, 3 Mercer Yard, London"),
        ),
    ),
    DemoApplication(
        key="tidewater",
        company="Tidewater Media",
        role="Backend Engineer",
        applied_days_ago=50,
        work_mode=WorkMode.REMOTE,
        salary=(70_000, 78_000),
        excitement=3,
        next_step="Waiting on references",
        moves=(
            (Stage.FIRST_INTERVIEW, 40),
            (Stage.SECOND_INTERVIEW, 30),
            (Stage.FINAL_ROUND, 21),
            (Stage.REFERENCE_CHECK, 4),
        ),
        interviews=(
            DemoInterview(-38, 11, 45, InterviewFormat.PHONE),
            DemoInterview(-27, 15, 60, InterviewFormat.VIDEO, "https://meet.example/tidewater"),
            DemoInterview(-18, 10, 120, InterviewFormat.ON_SITE, "Tidewater Media, Bristol", TIDEWATER_FINAL),
        ),
        decision_in_days=3,
    ),
    DemoApplication(
        key="quayside", company="Quayside Bank", role="Python Engineer", applied_days_ago=3, excitement=2
    ),
    DemoApplication(
        key="meridian",
        company="Meridian Travel",
        role="Backend Engineer",
        applied_days_ago=10,
        source="Job board",
        excitement=3,
        notes="The recruiter said they would reply within two weeks.",
        decision_in_days=4,
    ),
    DemoApplication(
        key="harbour",
        company="Harbour Learning",
        role="Staff Engineer",
        applied_days_ago=2,
        first_stage=Stage.INTERESTED,
        source="Meetup",
        excitement=4,
        notes="Ask Grace whether she knows anyone there before applying.",
    ),
    DemoApplication(
        key="copperleaf",
        company="Copperleaf Games",
        role="Game Services Engineer",
        applied_days_ago=45,
        excitement=4,
        moves=((Stage.FIRST_INTERVIEW, 36), (Stage.REJECTED, 29)),
        interviews=(
            DemoInterview(
                -33, 16, 60, InterviewFormat.VIDEO, "https://meet.example/copperleaf", COPPERLEAF_ROUND_ONE
            ),
        ),
    ),
    DemoApplication(
        key="northgate",
        company="Northgate Insurance",
        role="Developer",
        applied_days_ago=60,
        source="Job board",
        moves=((Stage.NO_REPLY, 30),),
    ),
    DemoApplication(
        key="velvet",
        company="Velvet Labs",
        role="Backend Engineer",
        applied_days_ago=42,
        work_mode=WorkMode.ON_SITE,
        moves=((Stage.SCREENING, 38), (Stage.WITHDRAWN, 34)),
        notes="Withdrew: on-site five days a week, two hours away.",
    ),
)


def _local_time(now: dt.datetime, zone: zoneinfo.ZoneInfo, days: int, hour: int) -> dt.datetime:
    day = now.astimezone(zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def _demo_reflect(user: User, interview: Interview, spec: DemoReflection) -> None:
    written_at = interview.ends_at + 3 * HOUR
    reflection = journal_services.reflection_save(
        interview=interview,
        fields={
            "account": spec.account,
            "went_well": spec.went_well,
            "to_improve": spec.to_improve,
            "questions_asked": spec.questions_asked,
            "good_signs": list(spec.good_signs),
            "warning_signs": list(spec.warning_signs),
            "mistakes": list(spec.mistakes),
            **dict(
                zip(
                    ("confidence", "job_score", "company_score", "manager_score", "gut_score"),
                    spec.scores,
                    strict=True,
                )
            ),
            "gut_note": spec.gut_note,
        },
        base_version=0,
        finalise=True,
        now=written_at,
    )
    for text in spec.lessons:
        lesson = journal_services.lesson_create(owner=user, text=text, reflection=reflection)
        if text in spec.practised:
            journal_services.lesson_set_practised(lesson=lesson, practised=True, now=written_at + 5 * DAY)


def _demo_application(
    user: User, spec: DemoApplication, now: dt.datetime
) -> tuple[Application, list[Interview]]:
    """One application as the person would have made it: created, interviews booked, moved on."""
    zone = user.zone
    application = pipeline_services.application_create(
        owner=user,
        company_name=spec.company,
        role_title=spec.role,
        stage=spec.first_stage,
        created_at=now - DAY * spec.applied_days_ago,
        job_url=f"https://{spec.company.lower().replace(' ', '')}.example/careers",
        source=spec.source,
        location=spec.location,
        work_mode=spec.work_mode,
        salary_min=spec.salary[0] if spec.salary else None,
        salary_max=spec.salary[1] if spec.salary else None,
        salary_currency="GBP" if spec.salary else "",
        excitement=spec.excitement,
        next_step=spec.next_step,
        notes=spec.notes,
    )
    # The moves first, dated in the past; then the interviews, whose booking today moves on
    # (as the app does) any application still behind the round booked.
    for stage, days_ago in spec.moves:
        pipeline_services.application_move_stage(
            application=application, to_stage=stage, now=now - DAY * days_ago
        )
    interviews = []
    for number, planned in enumerate(spec.interviews, start=1):
        starts_at = _local_time(now, zone, planned.days, planned.hour)
        interviews.append(
            pipeline_services.interview_schedule(
                application=application,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=planned.minutes),
                format=planned.format,
                round_number=number,
                location=planned.location,
            )
        )
    application.refresh_from_db()
    if spec.decision_in_days is not None:
        # Set after the moves: news on an application cancels the follow-up for the old promise.
        pipeline_services.application_update(
            application=application,
            company_name=spec.company,
            role_title=spec.role,
            decision_expected_on=(now.astimezone(zone) + DAY * spec.decision_in_days).date(),
        )
    for interview, planned in zip(interviews, spec.interviews, strict=True):
        if planned.reflection is not None:
            _demo_reflect(user, interview, planned.reflection)
    return application, interviews


# (key, name, kind, company, job title, notes)
DEMO_PEOPLE: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("priya", "Priya Raman", ContactKind.RECRUITER_IN_HOUSE, "Brightwater Health", "Talent Partner", ""),
    ("daniel", "Daniel Okafor", ContactKind.HIRING_MANAGER, "Brightwater Health", "Head of Platform", ""),
    ("mei", "Mei Lin", ContactKind.INTERVIEWER, "Brightwater Health", "Staff Engineer", ""),
    ("sarah", "Sarah Whitfield", ContactKind.SENIOR_LEADER, "Brightwater Health", "VP Engineering", ""),
    ("jonas", "Jonas Berg", ContactKind.RECRUITER_AGENCY, "Harbour Talent", "Senior Consultant", ""),
    ("aisha", "Aisha Khan", ContactKind.RECRUITER_IN_HOUSE, "Kestrel Energy", "Technical Recruiter", ""),
    ("lucia", "Lucia Moreno", ContactKind.INTERVIEWER, "Ostara Books", "Engineering Lead", ""),
    ("omar", "Omar Haddad", ContactKind.HIRING_MANAGER, "Finchley Maps", "Engineering Manager", ""),
    ("hannah", "Hannah Schulz", ContactKind.RECRUITER_IN_HOUSE, "Copperleaf Games", "People Partner", ""),
    (
        "grace",
        "Grace Adeyemi",
        ContactKind.REFEREE,
        "Riverbank Software",
        "Former engineering manager",
        "Managed me for three years; happy to be called, prefers a heads-up by text.",
    ),
    ("tom", "Tom Fletcher", ContactKind.REFEREE, "Acorn Digital", "Former team lead", ""),
)
# (application, interview index, person): who was met at which interview.
DEMO_MEETINGS = (
    ("brightwater", 0, "daniel"),
    ("brightwater", 0, "mei"),
    ("brightwater", 1, "daniel"),
    ("brightwater", 1, "sarah"),
    ("brightwater", 1, "mei"),
    ("ostara", 0, "lucia"),
    ("finchley", 0, "omar"),
    ("finchley", 1, "omar"),
)
# (application, person): recruiters working on an application they did not interview for.
DEMO_LINKS = (("larchmont", "jonas"), ("finchley", "jonas"), ("kestrel", "aisha"), ("copperleaf", "hannah"))


@dataclass(frozen=True)
class DemoInteraction:
    person: str
    application: str
    days_ago: float
    summary: str
    channel: str = Channel.CALL
    direction: str = Direction.OUTGOING
    feedback: str = ""
    # The round this was a recruiter debrief about, by index.
    debrief_of: int | None = None


DEMO_INTERACTIONS = (
    DemoInteraction(
        "priya", "brightwater", 24, "Screening call: team of eight, hybrid two days a week, up to £85k.",
        direction=Direction.INCOMING,
    ),
    DemoInteraction(
        "daniel", "brightwater", 7.8, "Thank-you note after round one, with the article we discussed.",
        channel=Channel.EMAIL,
    ),
    DemoInteraction(
        "priya", "brightwater", 7, "Debrief after round one.", debrief_of=0,
        feedback="Daniel liked the incident story and how you explained trade-offs. "
        "He wants to see more on designing for scale in round two.",
    ),
    DemoInteraction("jonas", "larchmont", 14, "Introduced the Larchmont role; I sent my CV the same day."),
    DemoInteraction(
        "jonas", "larchmont", 3, "Larchmont want to meet: first interview booked.",
        channel=Channel.MESSAGE, direction=Direction.INCOMING,
    ),
    DemoInteraction(
        "aisha", "kestrel", 2, "Invitation to a 30-minute phone screen.",
        channel=Channel.EMAIL, direction=Direction.INCOMING,
    ),
    DemoInteraction(
        "hannah", "copperleaf", 29, "They decided not to go ahead.",
        channel=Channel.EMAIL, direction=Direction.INCOMING,
        feedback="They chose someone with more game-engine experience; they liked the API design answers.",
    ),
    DemoInteraction(
        "omar", "finchley", 12, "Sent the slides from the take-home presentation.", channel=Channel.EMAIL
    ),
    DemoInteraction(
        "grace", "brightwater", 6, "Asked Grace to be a referee for Brightwater and Finchley; she said yes."
    ),
)  # fmt: skip


def _demo_people(
    user: User, apps: dict[str, Application], rounds: dict[str, list[Interview]], now: dt.datetime
) -> dict[str, Contact]:
    """Recruiters, interviewers and referees, who they met where, and what passed between them."""
    people = {
        key: contact_services.contact_create(
            owner=user,
            name=name,
            kind=kind,
            company=company,
            job_title=job_title,
            email=f"{name.lower().replace(' ', '.')}@{company.lower().replace(' ', '')}.example",
            notes=notes,
        )
        for key, name, kind, company, job_title, notes in DEMO_PEOPLE
    }
    for key, index, person in DEMO_MEETINGS:
        contact_services.interview_add_participant(interview=rounds[key][index], contact=people[person])
    for key, person in DEMO_LINKS:
        contact_services.application_add_contact(application=apps[key], contact=people[person])
    for item in DEMO_INTERACTIONS:
        contact_services.interaction_log(
            owner=user,
            contact=people[item.person],
            application=apps[item.application],
            happened_at=now - DAY * item.days_ago,
            channel=item.channel,
            direction=item.direction,
            summary=item.summary,
            feedback=item.feedback,
            is_debrief=item.debrief_of is not None,
            interview=rounds[item.application][item.debrief_of] if item.debrief_of is not None else None,
        )
    _demo_references(apps, people, now)
    return people


def _demo_references(apps: dict[str, Application], people: dict[str, Contact], now: dt.datetime) -> None:
    """Referees at different steps: one still to warn, one warned, one given (thank them), one thanked."""
    stress = "The billing migration I led, and how I brought two juniors up to speed."
    add, advance = contact_services.reference_add, contact_services.reference_advance
    add(application=apps["brightwater"], referee=people["grace"], what_to_stress=stress)
    tom_brightwater = add(application=apps["brightwater"], referee=people["tom"], what_to_stress=stress)
    advance(reference=tom_brightwater, to_status=ReferenceStatus.HEADS_UP_SENT, now=now - DAY)
    grace_finchley = add(application=apps["finchley"], referee=people["grace"], what_to_stress=stress)
    advance(reference=grace_finchley, to_status=ReferenceStatus.HEADS_UP_SENT, now=now - 5 * DAY)
    tom_tidewater = add(application=apps["tidewater"], referee=people["tom"])
    advance(reference=tom_tidewater, to_status=ReferenceStatus.GIVEN, now=now - 2 * DAY)
    grace_tidewater = add(application=apps["tidewater"], referee=people["grace"])
    advance(reference=grace_tidewater, to_status=ReferenceStatus.THANKED, now=now - 3 * DAY)


DEMO_STORIES = (
    {
        "title": "Halving checkout latency before Black Friday",
        "situation": "Checkout p95 was 1.8 s three weeks before our busiest weekend.",
        "task": "Find and fix the slow path without freezing other releases.",
        "action": "Profiled real traffic, found N+1 queries in the basket, batched them, added a cache.",
        "result": "p95 fell to 0.8 s; conversion rose 3% that weekend; no incidents.",
        "competencies": ["problem_solving", "deadline"],
    },
    {
        "title": "Moving billing off the legacy system",
        "situation": "Billing ran on a ten-year-old system nobody wanted to touch.",
        "task": "Lead three engineers through a migration with no lost invoices.",
        "action": "Ran old and new side by side for a month and compared every invoice nightly.",
        "result": "Switched over with zero billing errors; two juniors now own the service.",
        "competencies": ["leadership", "change"],
    },
    {
        "title": "The outage I caused",
        "situation": "A migration I wrote locked a table at peak time.",
        "task": "Restore service and make sure it could not happen again.",
        "action": "Rolled back, wrote the incident review, added a lock-timeout check to CI.",
        "result": "Forty minutes of downtime; the check has since caught four risky migrations.",
        "competencies": ["failure", "initiative"],
    },
    {
        "title": "Pushing back on a launch date",
        "situation": "Product wanted a launch before the data export was safe.",
        "task": "Change the plan without losing the relationship.",
        "action": "Showed the risk with real numbers and offered a smaller launch on the same date.",
        "result": "We shipped the smaller launch on time and the export two weeks later.",
        "competencies": ["conflict", "influence"],
    },
)
DEMO_AREAS = {
    "interest": ("Health records that doctors trust: I want my work to matter that directly.", True),
    "skills": ("Billing migration and checkout latency stories, with numbers.", True),
    "fit": ("Small team that pairs a lot; I like reviews that teach.", True),
    "reservations": ("Round one kept returning to scale: prepare the caching and sharding answer.", False),
    "availability": ("One month's notice. Holiday booked for a week in August.", True),
}
DEMO_PANEL_NOTES = {
    "Daniel Okafor": "Met in round one. Cares about ownership; follow up on the scale question.",
    "Sarah Whitfield": "Joined from a fintech last year. Ask about the platform roadmap.",
    "Mei Lin": "Ran the design part last time. Bring the diagram, improved.",
}
# (text, suggestion key from the guide, or "" for the person's own question)
DEMO_QUESTIONS = (
    ("What would success look like for this role after six months?", "six_months"),
    ("What is the biggest challenge the team is facing this year?", "team_challenges"),
    ("How is on-call shared, and how often does it page at night?", ""),
)
# (topic, link, note)
DEMO_RESEARCH = (
    (
        "news",
        "https://brightwater.example/news/series-c",
        "Raised a Series C in spring to reach hospital groups.",
    ),
    ("competitors", "", "Two larger rivals; Brightwater wins on clinicians' ratings of usability."),
    ("products", "https://brightwater.example/records", "Records API opened to partners last quarter."),
)


def _demo_prep(user: User, interview: Interview) -> PrepPlan:
    """The round-two plan, filled in the way a well-prepared person would have it two days out."""
    plan = prep_services.plan_for(interview=interview)
    participants = {p.name: str(p.pk) for p in interview.participants.all()}
    prep_services.plan_update(
        plan=plan,
        format=PlanFormat.PANEL,
        people_count=3,
        duration_minutes=120,
        availability="One month's notice; could start at the beginning of next month.",
        salary_expectation="£80k to £85k base, depending on the on-call arrangement.",
        recruiter_checks=["format", "who", "length", "feedback"],
        areas={key: {"notes": notes, "ready": ready} for key, (notes, ready) in DEMO_AREAS.items()},
        panel_notes={participants[name]: note for name, note in DEMO_PANEL_NOTES.items()},
    )
    for text, suggestion_key in DEMO_QUESTIONS:
        prep_services.plan_add_question(plan=plan, text=text, suggestion_key=suggestion_key)
    for topic, url, note in DEMO_RESEARCH:
        prep_services.plan_add_research(plan=plan, topic=topic, url=url, note=note)
    stories = [prep_services.story_save(owner=user, **story) for story in DEMO_STORIES]
    for story in stories[:3]:
        prep_services.plan_add_story(plan=plan, story=story)
    return plan


# Told to Daniel in round one, as its reflection records: the round-two brief warns before
# it is told to him again.
DEMO_TOLD_STORY = ("Moving billing off the legacy system", "Daniel Okafor")


def _demo_told_story(user: User, round_one: Interview) -> None:
    title, listener = DEMO_TOLD_STORY
    reflection = Reflection.objects.get(interview=round_one)
    journal_services.reflection_save(
        interview=round_one,
        fields={},
        base_version=reflection.version,
        told={
            user.stories.get(title=title).pk: [round_one.participants.get(name=listener).pk],
        },
        now=round_one.ends_at + 3 * HOUR,
    )


def seed_demo_account(
    *, password: str = DEFAULT_PASSWORD, now: dt.datetime | None = None
) -> tuple[User, bool]:
    """The demo account, rebuilt from scratch. Returns the user and whether an older one was replaced.

    Replaced rather than kept: its story is dated relative to today, so yesterday's
    demo would show last week's "tomorrow".
    """
    now = now or timezone.now()
    with transaction.atomic():
        replaced = account_delete(email=DEMO_EMAIL)
        user = account_create(
            email=DEMO_EMAIL, password=password, first_name="Alex", time_zone="Europe/London"
        )
        apps: dict[str, Application] = {}
        rounds: dict[str, list[Interview]] = {}
        for spec in DEMO_APPLICATIONS:
            apps[spec.key], rounds[spec.key] = _demo_application(user, spec, now)
        _demo_people(user, apps, rounds, now)
        _demo_prep(user, rounds["brightwater"][1])
        _demo_told_story(user, rounds["brightwater"][0])
        prep_services.practice_answer_save(
            owner=user,
            question="Why this company, and why now?",
            answer="Because the records platform is at the size where my migration experience helps most.",
            library_key="why_us",
            practised=True,
        )
    return user, replaced
