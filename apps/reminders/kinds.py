"""The registry of reminder kinds: one row says all the kernel knows about a kind.

A row names the kind, the label a person reads, what it is about (an
interview, an application or a reference), when it falls due, where its email
comes from and the page where the person does the thing. The email's context
function lives in the app that owns the kind's meaning, named by a dotted path
so the kernel never imports that app; its three templates sit beside that
app's other templates: `<emails>_subject.txt`, `<emails>.txt`, `<emails>.html`.

Adding a kind = one row here, one context function, three templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.utils.module_loading import import_string

from apps.reminders import rules

INTERVIEW = "interview"
APPLICATION = "application"
REFERENCE = "reference"
# The search as a whole (the weekly "keep searching" email): about the person, no one row.
ACCOUNT = "account"
ABOUTS = (INTERVIEW, APPLICATION, REFERENCE, ACCOUNT)
# A page about the reminder itself: its drafted message, for kinds whose task is to send one.
REMINDER = "reminder"

# The context function: (reminder, the context every reminder email has) -> what this kind adds.
ContextFunction = Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str
    about: str
    due: rules.DueRule
    context: str
    emails: str
    # The page where the thing is done: a URL name, reversed with the id of `page_about`
    # (with no id for a page about the account).
    page: str
    page_about: str = APPLICATION

    def __post_init__(self) -> None:
        if self.about not in ABOUTS or self.page_about not in (INTERVIEW, APPLICATION, REMINDER, ACCOUNT):
            raise ValueError(f"Reminder kind {self.key!r}: unknown about")

    def context_function(self) -> ContextFunction:
        return _import(self.context)

    def dedupe_key(self, about_id: int, occasion: str = "") -> str:
        """One event, one reminder: the key names the kind, the row it is about and, for
        kinds that recur, the occasion (a promised date, a quiet spell)."""
        key = f"{self.key}:{self.about}:{about_id}"
        return f"{key}:{occasion}" if occasion else key


@cache
def _import(path: str) -> ContextFunction:
    return import_string(path)


ROWS = (
    ReminderKind(
        key="thank_you",
        label="Send a thank-you note",
        about=INTERVIEW,
        due=rules.thank_you_due,
        context="apps.contacts.reminder_kinds.thank_you",
        emails="contacts/email/thank_you",
        page="contacts:thank_you",
        page_about=INTERVIEW,
    ),
    ReminderKind(
        key="recruiter_debrief",
        label="Debrief with your recruiter",
        about=INTERVIEW,
        due=rules.recruiter_debrief_due,
        context="apps.contacts.reminder_kinds.recruiter_debrief",
        emails="contacts/email/recruiter_debrief",
        page="contacts:debrief",
        page_about=INTERVIEW,
    ),
    ReminderKind(
        key="reflection_prompt",
        label="Reflect on the interview",
        about=INTERVIEW,
        due=rules.reflection_prompt_due_for,
        context="apps.journal.reminder_kinds.reflection_prompt",
        emails="journal/email/reflection_prompt",
        page="journal:reflect",
        page_about=INTERVIEW,
    ),
    ReminderKind(
        key="reference_heads_up",
        label="Give your referees a heads-up",
        about=REFERENCE,
        due=rules.due_now,
        context="apps.contacts.reminder_kinds.reference_heads_up",
        emails="contacts/email/reference_heads_up",
        page="contacts:references",
    ),
    ReminderKind(
        key="reference_thanks",
        label="Thank your referee",
        about=REFERENCE,
        due=rules.due_now,
        context="apps.contacts.reminder_kinds.reference_thanks",
        emails="contacts/email/reference_thanks",
        page="contacts:references",
    ),
    ReminderKind(
        key="follow_up",
        label="Follow up on a promised decision",
        about=APPLICATION,
        due=rules.follow_up_due_for,
        context="apps.pipeline.reminder_kinds.follow_up",
        emails="pipeline/email/follow_up",
        page="reminders:note",
        page_about=REMINDER,
    ),
    ReminderKind(
        key="nudge",
        label="Nudge a quiet application",
        about=APPLICATION,
        due=rules.due_now,
        context="apps.pipeline.reminder_kinds.nudge",
        emails="pipeline/email/nudge",
        page="reminders:note",
        page_about=REMINDER,
    ),
    ReminderKind(
        key="prep_review",
        label="Review your prep for tomorrow",
        about=INTERVIEW,
        due=rules.prep_review_due,
        context="apps.prep.reminder_kinds.prep_review",
        emails="prep/email/prep_review",
        page="prep:brief",
        page_about=INTERVIEW,
    ),
    ReminderKind(
        key="keep_searching",
        label="Keep your search moving",
        about=ACCOUNT,
        due=rules.due_now,
        context="apps.pipeline.reminder_kinds.keep_searching",
        emails="pipeline/email/keep_searching",
        page="pipeline:keep_searching",
        page_about=ACCOUNT,
    ),
)

REGISTRY: dict[str, ReminderKind] = {row.key: row for row in ROWS}

# The kinds as choices, for the model field and forms; `Kind.THANK_YOU == "thank_you"`.
Kind = models.TextChoices("Kind", [(row.key.upper(), (row.key, row.label)) for row in ROWS])


def choices() -> list[tuple[str, str]]:
    """For the model field: a callable, so adding a kind needs no migration."""
    return [(row.key, row.label) for row in ROWS]


def get(kind: str) -> ReminderKind:
    """The registry row of a kind; KeyError for a kind nobody registered."""
    return REGISTRY[kind]


def about(kind: str) -> str:
    return REGISTRY[kind].about


def kinds_about(what: str) -> list[ReminderKind]:
    return [row for row in ROWS if row.about == what]


# --- Dedupe keys outside the database: the export's templates ---------------------

ID_PLACEHOLDER = "{id}"
_KEY = re.compile(r"^(?P<kind>[a-z_]+):(?P<about>interview|application|reference):(?P<id>\d+)(?P<rest>.*)$")
# A template from a file: one {id}, a kind's name of a sensible length.
_TEMPLATE = re.compile(
    r"^(?P<kind>[a-z_]{1,30}):(?P<about>interview|application|reference):\{id\}(?P<rest>[^{}]*)$"
)


@dataclass(frozen=True)
class KeyParts:
    kind: str
    about: str
    about_id: int | None
    rest: str


def parse_key(key: str) -> KeyParts | None:
    """A stored dedupe key's parts, or None for a key of another shape (an imported one)."""
    found = _KEY.match(key)
    if not found:
        return None
    return KeyParts(found["kind"], found["about"], int(found["id"]), found["rest"])


def parse_template(template: str) -> KeyParts | None:
    """An exported key, `thank_you:interview:{id}`: its parts, or None if it is not one."""
    found = _TEMPLATE.match(template)
    if not found:
        return None
    return KeyParts(found["kind"], found["about"], None, found["rest"])


def key_template(key: str) -> str:
    """A key with the id it is about replaced by {id}, so it can travel between accounts."""
    parts = parse_key(key)
    if parts is None:
        return ""
    return f"{parts.kind}:{parts.about}:{ID_PLACEHOLDER}{parts.rest}"


def key_from_template(template: str, about_id: int) -> str:
    return template.replace(ID_PLACEHOLDER, str(about_id), 1)
