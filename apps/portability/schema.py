"""The export format, version 1, as data: which tables, which columns, how rows name each other.

The exporter writes these tables and the importer reads them, so the two cannot
drift apart. README.md ("Your data: the export format") describes the same
thing for people.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import models

from apps.contacts.models import (
    ApplicationContact,
    ApplicationReference,
    Contact,
    Interaction,
    InterviewParticipant,
)
from apps.journal.models import Lesson, Reflection, ToldStory, ToldStoryListener
from apps.journal.services import REFLECTION_FIELDS
from apps.pipeline.models import Application, Company, Interview, StageChange
from apps.prep.models import PlanStory, PracticeAnswer, PrepPlan, QuestionToAsk, ResearchNote, Story
from apps.reminders import kinds
from apps.reminders.models import Reminder

FORMAT = "second-round-export"
VERSION = 1
REF_MAX_LENGTH = 100

# Fixed for ever: every account's references are derived from it, so changing
# it would make a re-import of an old file add everything a second time.
REF_NAMESPACE = uuid.UUID("5d1e3f0a-7b2c-4c55-9a3e-2f6d8b1c0e47")

# The reminder's `subject_key` names a reference as "reference:<pk>".
SUBJECT_PREFIX = f"{kinds.REFERENCE}:"
# In an exported dedupe_key the id of the row it is about becomes this.
ID_PLACEHOLDER = kinds.ID_PLACEHOLDER


@dataclass(frozen=True)
class Link:
    """A column naming another row by its ref.

    `field` is the model's foreign key; the reminder's subject has none (it is
    read from `subject_key`). `owner_path` leads from the named row to its owner,
    for links the export checks before writing (optional ones, which services set
    in many places).
    """

    name: str
    table: str
    field: str | None
    nullable: bool = False
    owner_path: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    kind: str
    model: type[models.Model]
    # From a row of this table to the user who owns it.
    owner_path: str
    fields: tuple[str, ...]
    links: tuple[Link, ...] = ()
    # Links whose named row must also be the user's, checked by filtering rows
    # (join tables: both ends are the user's or the row is not theirs to export).
    also_owned: tuple[str, ...] = ()
    # Columns that identify a row within the account: an import matches a row
    # to the one already here instead of making a second.
    natural_key: tuple[str, ...] = ()
    label: tuple[str, str] = ("", "")
    # Model fields the importer sets itself, never from the file.
    defaults: dict[str, object] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return ["ref", *(link.name for link in self.links), *self.fields]

    def link(self, name: str) -> Link:
        return next(link for link in self.links if link.name == name)


TABLES: tuple[Table, ...] = (
    Table(
        key="companies",
        kind="company",
        model=Company,
        owner_path="owner",
        fields=("name", "website", "notes", "created_at"),
        natural_key=("name",),
        label=("company", "companies"),
    ),
    Table(
        key="applications",
        kind="application",
        model=Application,
        owner_path="owner",
        links=(Link("company", "companies", "company"),),
        fields=(
            "role_title",
            "job_url",
            "source",
            "location",
            "work_mode",
            "salary_min",
            "salary_max",
            "salary_currency",
            "stage",
            "stage_changed_at",
            "next_step",
            "decision_expected_on",
            "excitement",
            "notes",
            "archived",
            "created_at",
            "updated_at",
        ),
        label=("application", "applications"),
    ),
    Table(
        key="stage_changes",
        kind="stage_change",
        model=StageChange,
        owner_path="application__owner",
        links=(Link("application", "applications", "application"),),
        fields=("from_stage", "to_stage", "changed_at", "note"),
        label=("step of application history", "steps of application history"),
    ),
    Table(
        key="interviews",
        kind="interview",
        model=Interview,
        owner_path="application__owner",
        links=(Link("application", "applications", "application"),),
        fields=(
            "round_number",
            "starts_at",
            "ends_at",
            "format",
            "location",
            "outcome",
            "notes",
            "cancelled_at",
            "sequence",
            "created_at",
            "updated_at",
        ),
        label=("interview", "interviews"),
    ),
    Table(
        key="contacts",
        kind="contact",
        model=Contact,
        owner_path="owner",
        fields=(
            "name",
            "kind",
            "company",
            "job_title",
            "email",
            "phone",
            "linkedin_url",
            "notes",
            "created_at",
            "updated_at",
        ),
        label=("contact", "contacts"),
    ),
    Table(
        key="application_contacts",
        kind="application_contact",
        model=ApplicationContact,
        owner_path="application__owner",
        links=(
            Link("application", "applications", "application"),
            Link("contact", "contacts", "contact"),
        ),
        also_owned=("contact__owner",),
        fields=("role", "added_at"),
        natural_key=("application", "contact"),
        label=("person on an application", "people on applications"),
    ),
    Table(
        key="interview_participants",
        kind="interview_participant",
        model=InterviewParticipant,
        owner_path="interview__application__owner",
        links=(
            Link("interview", "interviews", "interview"),
            Link("contact", "contacts", "contact", nullable=True, owner_path="owner"),
        ),
        fields=("name", "role", "thank_you_note", "thanked_at"),
        natural_key=("interview", "contact"),
        label=("person met at an interview", "people met at interviews"),
    ),
    Table(
        key="interactions",
        kind="interaction",
        model=Interaction,
        owner_path="owner",
        links=(
            Link("contact", "contacts", "contact", nullable=True, owner_path="owner"),
            Link("application", "applications", "application", nullable=True, owner_path="owner"),
        ),
        fields=("happened_at", "channel", "direction", "summary", "feedback", "is_debrief", "created_at"),
        label=("interaction with a contact", "interactions with contacts"),
    ),
    Table(
        key="references",
        kind="reference",
        model=ApplicationReference,
        owner_path="application__owner",
        links=(
            Link("application", "applications", "application"),
            Link("referee", "contacts", "referee"),
        ),
        also_owned=("referee__owner",),
        fields=("status", "what_to_stress", "asked_at", "heads_up_at", "given_at", "thanked_at"),
        natural_key=("application", "referee"),
        label=("reference", "references"),
    ),
    Table(
        key="reflections",
        kind="reflection",
        model=Reflection,
        owner_path="interview__application__owner",
        links=(Link("interview", "interviews", "interview"),),
        # Everything a person writes in a reflection, as the journal defines it: a field
        # added there is exported too.
        fields=(
            *REFLECTION_FIELDS,
            "status",
            "created_at",
            "updated_at",
            "finalised_at",
        ),
        natural_key=("interview",),
        label=("reflection", "reflections"),
    ),
    Table(
        key="lessons",
        kind="lesson",
        model=Lesson,
        owner_path="owner",
        links=(
            Link(
                "reflection",
                "reflections",
                "reflection",
                nullable=True,
                owner_path="interview__application__owner",
            ),
        ),
        fields=("text", "status", "practised_at", "created_at"),
        label=("lesson", "lessons"),
    ),
    Table(
        key="prep_plans",
        kind="prep_plan",
        model=PrepPlan,
        owner_path="interview__application__owner",
        links=(Link("interview", "interviews", "interview"),),
        fields=(
            "format",
            "people_count",
            "duration_minutes",
            "recruiter_checks",
            "areas",
            "availability",
            "salary_expectation",
            "panel_notes",
            "exercise_expected",
            "exercise_materials",
            "exercise_rehearsed",
            "created_at",
            "updated_at",
        ),
        natural_key=("interview",),
        label=("prep plan", "prep plans"),
    ),
    Table(
        key="plan_stories",
        kind="plan_story",
        model=PlanStory,
        owner_path="plan__interview__application__owner",
        links=(Link("plan", "prep_plans", "plan"), Link("story", "stories", "story")),
        also_owned=("story__owner",),
        fields=("added_at",),
        natural_key=("plan", "story"),
        label=("story chosen for an interview", "stories chosen for interviews"),
    ),
    Table(
        key="told_stories",
        kind="told_story",
        model=ToldStory,
        owner_path="reflection__interview__application__owner",
        links=(Link("reflection", "reflections", "reflection"), Link("story", "stories", "story")),
        also_owned=("story__owner",),
        fields=(),
        natural_key=("reflection", "story"),
        label=("story told at an interview", "stories told at interviews"),
    ),
    Table(
        key="told_story_listeners",
        kind="told_story_listener",
        model=ToldStoryListener,
        owner_path="told_story__reflection__interview__application__owner",
        links=(
            Link("told_story", "told_stories", "told_story"),
            Link("participant", "interview_participants", "participant"),
        ),
        also_owned=("participant__interview__application__owner",),
        fields=(),
        natural_key=("told_story", "participant"),
        label=("person who heard a story", "people who heard stories"),
    ),
    Table(
        key="questions_to_ask",
        kind="question_to_ask",
        model=QuestionToAsk,
        owner_path="plan__interview__application__owner",
        links=(Link("plan", "prep_plans", "plan"),),
        fields=("text", "suggestion_key"),
        natural_key=("plan", "text"),
        label=("question to ask", "questions to ask"),
    ),
    Table(
        key="research",
        kind="research",
        model=ResearchNote,
        owner_path="plan__interview__application__owner",
        links=(Link("plan", "prep_plans", "plan"),),
        fields=("topic", "url", "note"),
        label=("research note", "research notes"),
    ),
    Table(
        key="stories",
        kind="story",
        model=Story,
        owner_path="owner",
        fields=("title", "situation", "task", "action", "result", "competencies", "created_at", "updated_at"),
        label=("story", "stories"),
    ),
    Table(
        key="practice_answers",
        kind="practice_answer",
        model=PracticeAnswer,
        owner_path="owner",
        fields=("question", "library_key", "answer", "last_practised_at", "created_at"),
        label=("practice answer", "practice answers"),
    ),
    Table(
        key="reminders",
        kind="reminder",
        model=Reminder,
        owner_path="owner",
        links=(
            Link("application", "applications", "application", nullable=True, owner_path="owner"),
            Link("interview", "interviews", "interview", nullable=True, owner_path="application__owner"),
            Link("subject", "references", None, nullable=True, owner_path="application__owner"),
        ),
        fields=(
            "kind",
            "due_at",
            "next_try_at",
            "status",
            "attempts",
            "last_error",
            "sent_at",
            "closed_at",
            "dedupe_key",
            "created_at",
        ),
        label=("reminder", "reminders"),
    ),
)

TABLES_BY_KEY: dict[str, Table] = {table.key: table for table in TABLES}

# Rows are created parents first; the document keeps the order people read it in.
IMPORT_ORDER: tuple[Table, ...] = tuple(
    TABLES_BY_KEY[key]
    for key in (
        "companies",
        "applications",
        "stage_changes",
        "interviews",
        "contacts",
        "application_contacts",
        "interview_participants",
        "interactions",
        "references",
        "reflections",
        "lessons",
        "stories",
        "prep_plans",
        "plan_stories",
        "told_stories",
        "told_story_listeners",
        "questions_to_ask",
        "research",
        "practice_answers",
        "reminders",
    )
)

USER_FIELDS = ("email", "first_name", "time_zone")
REMINDER_SETTINGS_FIELDS = (
    "kinds_off",
    "thank_you_delay_hours",
    "prep_review_lead_hours",
    "quiet_from",
    "quiet_until",
)
TOP_LEVEL_KEYS = (
    "format",
    "version",
    "exported_at",
    "user",
    *(table.key for table in TABLES),
    "reminder_settings",
)


# --- References ------------------------------------------------------------------


class RefNamer:
    """Names an account's rows: the same row gets the same ref in every export.

    The ref hashes the row's id with a namespace of the account, so two accounts
    on the same site (or on two sites) never share one.
    """

    def __init__(self, user) -> None:
        self.namespace = uuid.uuid5(REF_NAMESPACE, f"account:{user.pk}:{user.date_joined.isoformat()}")

    def ref(self, table: Table, pk: int) -> str:
        return f"{table.kind}:{uuid.uuid5(self.namespace, f'{table.key}:{pk}')}"


# --- Values ----------------------------------------------------------------------


def encode_value(value: object) -> object:
    """A database value as it is written to the file: times in ISO 8601, UTC ones ending in Z."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value
