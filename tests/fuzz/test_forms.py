"""Every form, filled with whatever a person, a browser extension or a script might send.

Each case posts (or, for filters, gets) generated values to one endpoint as its
owner: text within and far past its limit (up to 50,000 characters), any
unicode (right-to-left marks, emoji, control characters, NUL bytes), markup
and script, numbers out of range or not numbers at all, and several values
where one is expected. Whatever arrives, the answer is a page or a redirect
(a 400 with the errors is fine), never a server error.

Each example runs in a savepoint that is rolled back, with a client of its own,
so examples never see each other's data. Known bugs are cases of their own,
marked xfail with the input that triggers them as an explicit example, so the
case fails the same way on every run until the bug is fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.accounts.models import User
from apps.contacts.forms_debrief import ENTHUSIASM_CHOICES, QUESTION_CHOICES
from apps.contacts.models import Channel, ContactKind, Direction, ReferenceStatus
from apps.journal import checklists
from apps.pipeline import selectors as pipeline_selectors
from apps.pipeline.models import InterviewFormat, InterviewOutcome, Stage, WorkMode
from apps.prep import guide
from apps.prep.models import PlanFormat, ResearchTopic
from apps.reminders.models import Kind
from tests.accounts.factories import PASSWORD
from tests.security.world import World

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# Sized so the whole suite runs in about a minute on a 2-core machine. For a deeper
# search before a release, multiply every case's examples: FUZZ_EXAMPLES_FACTOR=20.
FACTOR = max(int(os.environ.get("FUZZ_EXAMPLES_FACTOR", "1")), 1)
DEFAULT_EXAMPLES = 10
# Pages that cost several times more to render (the time zone list, the whole prep brief).
HEAVY_PAGE_EXAMPLES = 5

FUZZ = settings(
    max_examples=DEFAULT_EXAMPLES,
    # Page times vary with the machine and with others' load on the same Postgres.
    deadline=None,
    # Nothing written into the work tree; failures print the input that caused them.
    database=None,
    # One failure at a time, raised as itself, so a known bug's xfail can name its exception.
    report_multiple_bugs=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# --- Values ---------------------------------------------------------------------------------------

MISSING = object()  # the field is left out of the request altogether

NASTY_SAMPLES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\r\n",
    "\t\x0b\x0c\x1b[31m\x7f",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user.password }}{% debug %}",
    "%s%s%n%x",
    "' OR '1'='1' --",
    "مرحبا بالعالم",
    "\u202egnp.exe",
    "\u200f\u200e\u2066",
    "👩\u200d👩\u200d👧\u200d👦🔥",
    "\ufeff",
    "\ud7ff\ue000\uffff",
    "-1",
    "0",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e400",
    "NaN",
    "-inf",
    "٣",
    "²",
    "0x10",
    "2030-02-30",
    "24:00",
    "23:59:60",
    "null",
    "[]",
    "{}",
]


def _repeat(piece: str, times: int) -> str:
    return (piece * times)[:50_000]


NASTY = st.sampled_from(NASTY_SAMPLES)
# Any code point but surrogates, which no browser can send: controls and NUL included.
UNICODE = st.text(max_size=120)
LONG = st.builds(
    _repeat, st.sampled_from(["x", "é", "😀", "<b>", "\u202e", "a\x00", "line\n"]), st.integers(1, 50_000)
)
NUMBERS = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.floats().map(str),
    st.decimals(allow_nan=True).map(str),
)
SCALAR = st.one_of(NASTY, UNICODE, NUMBERS, LONG)
# Several values where the form expects one (?stage=a&stage=b): the wrong type for a scalar.
SEVERAL = st.lists(st.one_of(NASTY, UNICODE, NUMBERS), min_size=2, max_size=3)
ANYTHING = st.one_of(SCALAR, SEVERAL)


def field(valid: st.SearchStrategy) -> st.SearchStrategy:
    """A plausible value first (so forms often get far enough to save), else anything, else nothing."""
    return st.one_of(valid, ANYTHING, st.just(MISSING))


def text(max_length: int) -> st.SearchStrategy:
    return field(st.text(max_size=min(max_length, 200)))


def integer(low: int, high: int) -> st.SearchStrategy:
    return field(st.integers(low - 1_000, high + 1_000).map(str))


def choice(values: list) -> st.SearchStrategy:
    return field(st.sampled_from([str(value) for value in values]))


def several(values: list) -> st.SearchStrategy:
    return field(
        st.lists(st.sampled_from([str(value) for value in values]), max_size=len(values), unique=True)
    )


def boolean() -> st.SearchStrategy:
    return field(st.sampled_from(["on", "true", "1", "yes", "false", "0"]))


# Dates whose neighbours are still on the calendar. The ends of the calendar are fuzzed
# by the cases marked with their bugs below.
SAFE_DATES = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
ALL_DATES = st.dates()


def date(dates: st.SearchStrategy = SAFE_DATES) -> st.SearchStrategy:
    return field(dates.map(dt.date.isoformat))


def time_of_day() -> st.SearchStrategy:
    return field(st.times().map(lambda moment: moment.strftime("%H:%M")))


def url() -> st.SearchStrategy:
    return field(
        st.sampled_from(
            [
                "https://jobs.example.com/123",
                "jobs.example.com/123",
                "ftp://example.com/x",
                "javascript:alert(1)",
                "http://[::1]:80/",
                "https://ex.ample/" + "a" * 600,
                "https://exa\x00mple.com/",
                "https://bücher.example/ü",
            ]
        )
    )


# Paths with a slash: a bare word as `next` is a bug case of its own (see BUG_CASES).
NEXT_PATHS = st.sampled_from(
    ["/", "/applications/board/", "/reminders/?page=2", "//evil.example.com"]
) | st.text(max_size=100).map(lambda value: "/" + value)


def _without_nul(value: object) -> bool:
    values = value if isinstance(value, list) else [value]
    return not any(isinstance(item, str) and "\x00" in item for item in values)


def payloads(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(fields).map(
        lambda drawn: {name: value for name, value in drawn.items() if value is not MISSING}
    )


# --- Cases ----------------------------------------------------------------------------------------

Fields = Callable[[World], dict[str, st.SearchStrategy]]
Sender = Callable[[Client, World, dict, dict[str, str]], list[HttpResponse]]


@dataclass(frozen=True)
class FormCase:
    url: Callable[[World], str]
    # One strategy per field (each may also be left out); or `payload` draws the whole request.
    fields: Fields | None = None
    payload: Callable[[World], st.SearchStrategy[dict]] | None = None
    method: str = "post"
    htmx: bool | None = False  # None: drawn, so both ways are tried
    signed_in: bool = True
    sender: Sender | None = None  # for forms that take more than one request
    max_examples: int = DEFAULT_EXAMPLES
    # Inputs tried on every run before the generated ones: the triggers of known bugs.
    examples: tuple[dict | Callable[[World], dict], ...] = ()


def _application_fields(world: World, *, editing: bool, dates: st.SearchStrategy = SAFE_DATES) -> dict:
    fields = {
        "company_name": text(200),
        "role_title": text(200),
        "job_url": url(),
        "source": text(100),
        "location": text(200),
        "work_mode": choice(["", *WorkMode.values]),
        "salary_min": integer(0, 100_000_000),
        "salary_max": integer(0, 100_000_000),
        "salary_currency": field(st.text(min_size=3, max_size=3)),
        "next_step": text(200),
        "decision_expected_on": date(dates),
        "excitement": choice(["", 1, 2, 3, 4, 5]),
        "notes": text(20_000),
    }
    if not editing:
        fields["stage"] = choice(Stage.values)
        fields["creation_token"] = field(st.uuids().map(str))
    return fields


def _interview_fields(world: World, *, editing: bool, dates: st.SearchStrategy = SAFE_DATES) -> dict:
    fields = {
        "round_number": integer(1, 20),
        "date": date(dates),
        "start_time": time_of_day(),
        "end_time": time_of_day(),
        "format": choice(InterviewFormat.values),
        "location": text(500),
        "notes": text(20_000),
    }
    if editing:
        fields["outcome"] = choice(InterviewOutcome.values)
    else:
        fields["creation_token"] = field(st.uuids().map(str))
    return fields


def _reflection_fields(world: World) -> dict:
    fields = {
        name: text(20_000) for name in ("account", "went_well", "to_improve", "questions_asked", "job_note")
    }
    fields.update(
        company_note=text(5_000),
        manager_note=text(5_000),
        gut_note=text(5_000),
        mistakes=several([item.key for item in checklists.MISTAKES]),
        mistakes_other=text(300),
        good_signs=several([item.key for item in checklists.GOOD_SIGNS]),
        warning_signs=several([item.key for item in checklists.WARNING_SIGNS]),
        confidence=choice([1, 2, 3, 4, 5]),
        job_score=choice([1, 2, 3, 4, 5]),
        company_score=choice([1, 2, 3, 4, 5]),
        manager_score=choice([1, 2, 3, 4, 5]),
        gut_score=choice([1, 2, 3, 4, 5]),
        version=integer(0, 3),
        editor=text(64),
    )
    return fields


def _contact_fields(world: World) -> dict:
    return {
        "name": text(200),
        "kind": choice(ContactKind.values),
        "company": text(200),
        "job_title": text(200),
        "email": field(st.emails()),
        "phone": field(st.from_regex(r"\+?[0-9 ()-]{0,30}", fullmatch=True)),
        "linkedin_url": url(),
        "notes": text(5_000),
        "confirm_duplicate": boolean(),
    }


def _interaction_fields(world: World) -> dict:
    return {
        "date": date(ALL_DATES),
        "time": time_of_day(),
        "channel": choice(Channel.values),
        "direction": choice(Direction.values),
        "summary": text(10_000),
        "feedback": text(10_000),
    }


def _people_fields(world: World) -> dict:
    return {
        "action": choice(["create", "attach"]),
        "name": text(200),
        "kind": choice(ContactKind.values),
        "email": field(st.emails()),
        "contact": choice([world.contact.pk]),
    }


def _debrief_fields(world: World) -> dict:
    return {
        "recruiter": choice(["", world.contact.pk]),
        "how_it_went": text(5_000),
        "enthusiasm": choice([key for key, _ in ENTHUSIASM_CHOICES]),
        "questions": several([key for key, _ in QUESTION_CHOICES]),
        "extra_questions": text(1_000),
        "channel": choice([Channel.CALL, Channel.EMAIL, Channel.MESSAGE]),
        "send_as_is": boolean(),
    }


def _story_fields(world: World) -> dict:
    return {
        "title": text(200),
        **{part: text(5_000) for part in ("situation", "task", "action", "result")},
        "competencies": several(guide.COMPETENCY_KEYS),
    }


def _areas_fields(world: World) -> dict:
    fields = {"availability": text(200), "salary_expectation": text(200)}
    for area in guide.FIVE_AREAS:
        fields[f"{area.key}_notes"] = text(5_000)
        fields[f"{area.key}_ready"] = boolean()
    return fields


def _practice_fields(prefix: str) -> dict:
    return {f"{prefix}-answer": text(5_000), f"{prefix}-practised": boolean()}


def _csv_upload(client: Client, world: World, data: dict, headers: dict[str, str]) -> list[HttpResponse]:
    # A bare file object: the client sends whatever name it has, as a browser or a script might.
    upload = io.BytesIO(data["content"])
    upload.name = data["name"]
    return [client.post(reverse("pipeline:import_upload"), {"file": upload}, headers=headers)]


def _csv_text(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _csv_import(client: Client, world: World, data: dict, headers: dict[str, str]) -> list[HttpResponse]:
    """Upload a well-formed file of generated cells, then review it and confirm the import."""
    upload = SimpleUploadedFile("applications.csv", _csv_text(data["rows"]), "text/csv")
    uploaded = client.post(reverse("pipeline:import_upload"), {"file": upload})
    responses = [uploaded]
    if uploaded.status_code == 302:
        review = uploaded["Location"]
        responses.append(client.get(review))
        responses.append(client.post(review, {"action": "import"}, headers=headers))
    return responses


CSV_TEXT_COLUMNS = ["Company", "Role", "Stage", "Job link", "Location", "Work mode", "Salary min"]
CSV_MORE_COLUMNS = ["Salary max", "Currency", "Source", "Excitement", "Next step", "Notes", "Archived"]
# NUL bytes are left out of cells: one anywhere refuses the whole file (tested by the upload case),
# and the point here is to get as far as the import.
CSV_CELL = st.one_of(NASTY.filter(lambda value: "\x00" not in value), st.text(max_size=40), NUMBERS)


def _csv_rows(date_cells: st.SearchStrategy) -> st.SearchStrategy:
    headers = [*CSV_TEXT_COLUMNS, *CSV_MORE_COLUMNS, "Applied on", "Decision by"]
    row = st.tuples(*([CSV_CELL] * (len(headers) - 2)), date_cells, date_cells).map(list)
    return st.fixed_dictionaries(
        {"rows": st.lists(row, min_size=1, max_size=5).map(lambda rows: [headers, *rows])}
    )


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    NASTY,
    st.text(max_size=40),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=15), inner, max_size=3),
    max_leaves=12,
)


def _leaf_paths(node: object, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaf_paths(value, (*path, key))] or [path]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaf_paths(value, (*path, index))] or [
            path
        ]
    return [path]


def _with_leaf_replaced(document: dict, pick: int, value: object) -> bytes:
    """The export with one value, anywhere in it, replaced: a hand-edited file."""
    document = json.loads(json.dumps(document))
    path = _leaf_paths(document)[pick % len(_leaf_paths(document))]
    if not path:
        return json.dumps(value).encode()
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return json.dumps(document, ensure_ascii=False).encode()


def _account_files(world: World) -> st.SearchStrategy[dict]:
    """Files offered as an export: any bytes, any JSON, and the seeker's own export hand-edited."""
    client = Client()
    client.force_login(world.user)
    export = json.loads(b"".join(client.get(reverse("portability:export_json")).streaming_content))
    return st.fixed_dictionaries(
        {
            "content": st.one_of(
                st.builds(_with_leaf_replaced, st.just(export), st.integers(0, 10**6), JSON_VALUES),
                JSON_VALUES.map(lambda value: json.dumps(value).encode()),
                st.binary(max_size=2_000),
            ),
            "name": st.just("second-round.json"),
        }
    )


def _account_import(client: Client, world: World, data: dict, headers: dict[str, str]) -> list[HttpResponse]:
    upload = io.BytesIO(data["content"])
    upload.name = data["name"]
    return [client.post(reverse("portability:import"), {"file": upload}, headers=headers)]


CASES: dict[str, FormCase] = {
    # Pipeline
    "application create": FormCase(
        url=lambda w: reverse("pipeline:application_create"),
        fields=lambda w: _application_fields(w, editing=False),
    ),
    "application edit": FormCase(
        url=lambda w: reverse("pipeline:application_edit", args=[w.application.pk]),
        fields=lambda w: _application_fields(w, editing=True),
    ),
    "application move": FormCase(
        url=lambda w: reverse("pipeline:application_move", args=[w.application.pk]),
        # Where to go next is a path of this site; anything else is a bug case below.
        fields=lambda w: {
            "stage": choice(Stage.values),
            "note": text(500),
            "next": NEXT_PATHS | st.just(MISSING),
        },
        htmx=None,
    ),
    "application archive": FormCase(
        url=lambda w: reverse("pipeline:application_archive", args=[w.application.pk]),
        fields=lambda w: {"archived": boolean()},
    ),
    "application list filters": FormCase(
        method="get",
        url=lambda w: reverse("pipeline:application_list"),
        fields=lambda w: {
            "q": text(200),
            "stage": choice(["", "active", "closed", *Stage.values]),
            "company": choice([w.company.pk]),
            "recruiter": choice([w.contact.pk]),
            "applied_from": date(ALL_DATES),
            "applied_to": date(ALL_DATES),
            "show": choice(["open", "archived", "all"]),
            "sort": choice([f"{way}{key}" for key in pipeline_selectors.SORTS for way in ("", "-")]),
            "page": integer(1, 3),
        },
        htmx=None,
    ),
    "interview create": FormCase(
        url=lambda w: reverse("pipeline:interview_create", args=[w.application.pk]),
        fields=lambda w: _interview_fields(w, editing=False),
    ),
    "interview edit": FormCase(
        url=lambda w: reverse("pipeline:interview_edit", args=[w.interview.pk]),
        fields=lambda w: _interview_fields(w, editing=True),
    ),
    "csv upload of any bytes": FormCase(
        url=lambda w: reverse("pipeline:import_upload"),
        fields=lambda w: {
            "content": st.one_of(
                st.binary(max_size=4_000),
                st.text(max_size=2_000).map(lambda value: value.encode("utf-8")),
                st.sampled_from(
                    [
                        "Company,Role\nAcme,Dev\n".encode("utf-16"),
                        b'\xef\xbb\xbfCompany,Role\n"unterminated,Dev\n',
                        b"Company,Company\nA,B\n",
                        b"\n\n\n",
                        b"Company,Role\n" + b"A,B\n" * 20_001,
                    ]
                ),
            ),
            "name": st.text(max_size=300) | st.just("a" * 400 + ".csv"),
        },
        sender=_csv_upload,
        max_examples=12,
    ),
    "csv import of any cells": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("pipeline:import_upload"),
        payload=lambda w: _csv_rows(SAFE_DATES.map(dt.date.isoformat) | CSV_CELL),
        sender=_csv_import,
    ),
    "csv column mapping": FormCase(
        url=lambda w: reverse("pipeline:import_review", args=[w.application_import.pk]),
        fields=lambda w: {
            "action": choice(["map", "import", "other"]),
            "company": choice(["Company", "Role", ""]),
            "role_title": choice(["Company", "Role", ""]),
            "stage": choice(["Company", "Role", ""]),
            "notes": choice(["Company", "Role", ""]),
        },
    ),
    # Journal
    "reflection autosave": FormCase(
        url=lambda w: reverse("journal:autosave", args=[w.interview.pk]),
        fields=_reflection_fields,
    ),
    "reflection submit": FormCase(
        url=lambda w: reverse("journal:reflect", args=[w.interview.pk]),
        fields=lambda w: {**_reflection_fields(w), "finalise": boolean()},
    ),
    "journal filters": FormCase(
        method="get",
        url=lambda w: reverse("journal:journal"),
        fields=lambda w: {
            "application": choice([w.application.pk]),
            "round_number": choice([1, 2, 3, 4, 5]),
            "confidence": choice([1, 2, 3, 4, 5]),
            "page": integer(1, 3),
        },
    ),
    "lesson create": FormCase(
        url=lambda w: reverse("journal:lesson_create", args=[w.interview.pk]),
        fields=lambda w: {"text": text(300)},
    ),
    "lesson practised": FormCase(
        url=lambda w: reverse("journal:lesson_practised", args=[w.lesson.pk]),
        fields=lambda w: {"practised": choice(["yes", "no"]), "back": choice(["reflection", "list"])},
    ),
    # Contacts
    "contact create": FormCase(url=lambda w: reverse("contacts:contact_create"), fields=_contact_fields),
    "contact edit": FormCase(
        url=lambda w: reverse("contacts:contact_edit", args=[w.contact.pk]), fields=_contact_fields
    ),
    # A NUL byte in the search box is a bug case of its own (see BUG_CASES); the rest is fuzzed here.
    "contacts list filters": FormCase(
        method="get",
        url=lambda w: reverse("contacts:contacts"),
        fields=lambda w: {
            "q": text(200).filter(_without_nul),
            "kind": choice(["", "recruiters", *ContactKind.values]),
            "page": integer(1, 3),
        },
        htmx=None,
    ),
    "interaction on a contact": FormCase(
        url=lambda w: reverse("contacts:interaction_create", args=[w.contact.pk]),
        fields=_interaction_fields,
    ),
    "interaction on an application": FormCase(
        url=lambda w: reverse("contacts:application_interaction_create", args=[w.application.pk]),
        fields=_interaction_fields,
    ),
    "people quick-add on an application": FormCase(
        url=lambda w: reverse("contacts:application_people", args=[w.application.pk]),
        fields=_people_fields,
        htmx=None,
    ),
    "people quick-add on an interview": FormCase(
        url=lambda w: reverse("contacts:interview_people", args=[w.interview.pk]),
        fields=_people_fields,
        htmx=None,
    ),
    "debrief": FormCase(
        url=lambda w: reverse("contacts:debrief", args=[w.interview.pk]), fields=_debrief_fields
    ),
    "debrief wording check": FormCase(
        url=lambda w: reverse("contacts:debrief_check", args=[w.interview.pk]),
        fields=_debrief_fields,
        htmx=None,
    ),
    "reference add": FormCase(
        url=lambda w: reverse("contacts:references", args=[w.application.pk]),
        fields=lambda w: {"referee": choice([w.contact.pk]), "what_to_stress": text(2_000)},
    ),
    "reference advance": FormCase(
        url=lambda w: reverse("contacts:reference_advance", args=[w.reference.pk]),
        fields=lambda w: {"status": choice(ReferenceStatus.values)},
        htmx=None,
    ),
    # Prep
    "prep format": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("prep:part", args=[w.interview.pk, "format"]),
        fields=lambda w: {
            "format": choice(["", *PlanFormat.values]),
            "people_count": integer(1, 30),
            "duration_minutes": integer(5, 600),
            "recruiter_checks": several([check.key for check in guide.ASK_THE_RECRUITER]),
        },
    ),
    "prep areas": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("prep:part", args=[w.interview.pk, "areas"]),
        fields=_areas_fields,
    ),
    "prep question add": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("prep:part", args=[w.interview.pk, "questions"]),
        fields=lambda w: {"text": text(300), "suggestion_key": text(40)},
    ),
    "prep research add": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("prep:part", args=[w.interview.pk, "research"]),
        fields=lambda w: {"topic": choice(ResearchTopic.values), "url": url(), "note": text(5_000)},
    ),
    "prep story choice": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("prep:part", args=[w.interview.pk, "stories"]),
        fields=lambda w: {"story": choice([w.story.pk])},
    ),
    "prep exercise": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("prep:part", args=[w.interview.pk, "exercise"]),
        fields=lambda w: {
            "exercise_expected": text(5_000),
            "exercise_materials": text(5_000),
            "exercise_rehearsed": boolean(),
        },
    ),
    "story create": FormCase(url=lambda w: reverse("prep:story_create"), fields=_story_fields),
    "story edit": FormCase(url=lambda w: reverse("prep:story_edit", args=[w.story.pk]), fields=_story_fields),
    "story bank filters": FormCase(
        method="get",
        url=lambda w: reverse("prep:stories"),
        fields=lambda w: {
            "q": text(200).filter(_without_nul),
            "competency": choice(guide.COMPETENCY_KEYS),
            "page": integer(1, 3),
        },
        htmx=None,
    ),
    "practice question of my own": FormCase(
        url=lambda w: reverse("prep:practice"), fields=lambda w: {"question": text(300)}
    ),
    "practice answer to a library question": FormCase(
        url=lambda w: reverse("prep:practice_library", args=[guide.PRACTICE_QUESTIONS[0].key]),
        fields=lambda w: _practice_fields(f"q-{guide.PRACTICE_QUESTIONS[0].key}"),
    ),
    "practice answer to my own question": FormCase(
        url=lambda w: reverse("prep:practice_answer", args=[w.practice_answer.pk]),
        fields=lambda w: _practice_fields(f"own-{w.practice_answer.pk}"),
    ),
    # Reminders and the account
    "reminder settings": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("reminders:settings"),
        fields=lambda w: {
            "thank_you_delay_hours": integer(0, 72),
            "prep_review_lead_hours": integer(1, 168),
            "quiet_from": time_of_day(),
            "quiet_until": time_of_day(),
            "kinds_on": several(Kind.values),
        },
    ),
    "reminder action": FormCase(
        url=lambda w: reverse("reminders:action", args=[w.reminder.pk]),
        fields=lambda w: {
            "action": st.sampled_from(["snooze", "done", "dismiss", "reopen"]) | text(20),
            "next": NEXT_PATHS | st.just(MISSING),
        },
        htmx=None,
    ),
    "account settings": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("accounts:settings"),
        fields=lambda w: {
            "first_name": text(150),
            "time_zone": choice(["Europe/London", "Asia/Calcutta", "UTC", "Etc/GMT+12", "Mars/Olympus_Mons"]),
        },
    ),
    "account data import": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("portability:import"),
        payload=_account_files,
        sender=_account_import,
    ),
    "account deletion": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("portability:delete"),
        fields=lambda w: {"password": field(st.just(PASSWORD))},
    ),
    # Signing up and logging in, as a visitor with a browser of their own
    "signup": FormCase(
        max_examples=HEAVY_PAGE_EXAMPLES,
        url=lambda w: reverse("account_signup"),
        fields=lambda w: {
            "first_name": text(150),
            "email": field(st.emails()),
            "time_zone": choice(["Europe/London", "Asia/Calcutta", "Mars/Olympus_Mons"]),
            "password1": field(st.just(PASSWORD)),
            "password2": field(st.just(PASSWORD)),
        },
        signed_in=False,
    ),
    "login": FormCase(
        url=lambda w: reverse("account_login"),
        fields=lambda w: {
            "login": field(st.sampled_from([w.user.email, w.user.email.upper()]) | st.emails()),
            "password": field(st.just(PASSWORD)),
            "remember": boolean(),
        },
        signed_in=False,
    ),
}

# Each case below once caused a server error (now fixed); the explicit example keeps it fixed.
BUG_CASES: dict[str, tuple[FormCase, str]] = {
    "application create with a decision date at the end of the calendar": (
        FormCase(
            url=lambda w: reverse("pipeline:application_create"),
            fields=lambda w: _application_fields(w, editing=False, dates=ALL_DATES),
            examples=(
                {
                    "company_name": "Acme",
                    "role_title": "Dev",
                    "stage": "applied",
                    "decision_expected_on": "9999-12-31",
                },
            ),
        ),
        "POST /applications/new/ with decision_expected_on=9999-12-31 is a 500: OverflowError 'date value "
        "out of range' in apps/reminders/rules.py follow_up_due (decision_by + 1 day), called from "
        "reminders.services.schedule_follow_up; the form accepts any date",
    ),
    "application edit with a decision date at the end of the calendar": (
        FormCase(
            url=lambda w: reverse("pipeline:application_edit", args=[w.application.pk]),
            fields=lambda w: _application_fields(w, editing=True, dates=ALL_DATES),
            examples=({"company_name": "Acme", "role_title": "Dev", "decision_expected_on": "9999-12-31"},),
        ),
        "POST /applications/<pk>/edit/ with decision_expected_on=9999-12-31 is a 500: OverflowError in "
        "apps/reminders/rules.py follow_up_due via schedule_follow_up",
    ),
    "interview create at the ends of the calendar": (
        FormCase(
            url=lambda w: reverse("pipeline:interview_create", args=[w.application.pk]),
            fields=lambda w: _interview_fields(w, editing=False, dates=ALL_DATES),
            examples=(
                {
                    "round_number": "2",
                    "format": "video",
                    "date": "9999-12-31",
                    "start_time": "23:58",
                    "end_time": "23:59",
                },
                {
                    "round_number": "2",
                    "format": "video",
                    "date": "0001-01-01",
                    "start_time": "00:00",
                    "end_time": "01:00",
                },
            ),
        ),
        "POST /applications/<pk>/interviews/new/ with date=9999-12-31 23:58-23:59 is a 500 (OverflowError in "
        "apps/reminders/services.py schedule_for_interview: ends_at + thank-you delay), and for a user east "
        "of UTC date=0001-01-01 00:00 is a 500 (OverflowError in apps/pipeline/forms.py combine_local, "
        "astimezone(UTC)); the form accepts any date",
    ),
    "interview edit at the ends of the calendar": (
        FormCase(
            url=lambda w: reverse("pipeline:interview_edit", args=[w.interview.pk]),
            fields=lambda w: _interview_fields(w, editing=True, dates=ALL_DATES),
            examples=(
                {
                    "round_number": "1",
                    "format": "video",
                    "outcome": "pending",
                    "date": "9999-12-31",
                    "start_time": "23:58",
                    "end_time": "23:59",
                },
            ),
        ),
        "POST /interviews/<pk>/edit/ with date=9999-12-31 23:58-23:59 is a 500: OverflowError in "
        "apps/reminders/services.py schedule_for_interview, called from pipeline.services.interview_update",
    ),
    "interview form suggested round": (
        FormCase(
            method="get",
            url=lambda w: reverse("pipeline:interview_create", args=[w.application.pk]),
            fields=lambda w: {"round": integer(1, 20)},
            examples=({"round": "²"},),
        ),
        "GET /applications/<pk>/interviews/new/?round=² is a 500: str.isdigit() accepts superscript and "
        "other unicode digits that int() refuses: ValueError in apps/pipeline/views/interviews.py "
        "interview_create",
    ),
    "csv import with dates at the end of the calendar": (
        FormCase(
            url=lambda w: reverse("pipeline:import_upload"),
            payload=lambda w: _csv_rows(ALL_DATES.map(dt.date.isoformat)),
            sender=_csv_import,
            examples=({"rows": [["Company", "Role", "Decision by"], ["Acme", "Dev", "9999-12-31"]]},),
        ),
        "confirming a CSV import whose 'Decision by' is 9999-12-31 (POST /applications/import/<pk>/ "
        "action=import) is a 500: OverflowError in apps/reminders/rules.py follow_up_due via "
        "csv_io.application_import_perform -> reminders.schedule_follow_up; the preview accepts the row",
    ),
    "contacts list search": (
        FormCase(
            method="get",
            url=lambda w: reverse("contacts:contacts"),
            fields=lambda w: {
                "q": text(200),
                "kind": choice(["", "recruiters", *ContactKind.values]),
                "page": integer(1, 3),
            },
            htmx=None,
            examples=({"q": "a\x00b"},),
        ),
        "GET /contacts/?q=a%00b is a 500: the raw query string goes into icontains filters and Postgres "
        "raises DataError 'PostgreSQL text fields cannot contain NUL (0x00) bytes' "
        "(apps/contacts/selectors.py contact_search, from views/contacts.py contact_list)",
    ),
    "story bank search": (
        FormCase(
            method="get",
            url=lambda w: reverse("prep:stories"),
            fields=lambda w: {
                "q": text(200),
                "competency": choice(guide.COMPETENCY_KEYS),
                "page": integer(1, 3),
            },
            htmx=None,
            examples=({"q": "a\x00b"},),
        ),
        "GET /prep/stories/?q=a%00b is a 500: DataError 'PostgreSQL text fields cannot contain NUL (0x00) "
        "bytes' from the icontains filters in apps/prep/views/stories.py _story_search",
    ),
    "interaction on a contact filed under an application": (
        FormCase(
            url=lambda w: reverse("contacts:interaction_create", args=[w.contact.pk]),
            fields=lambda w: {**_interaction_fields(w), "application": choice([w.application.pk])},
            examples=(
                {
                    "application": "abc",
                    "date": "2024-01-02",
                    "channel": "call",
                    "direction": "incoming",
                    "summary": "Hi",
                },
            ),
        ),
        "POST /contacts/<pk>/interactions/new/ with application=abc is a 500: ValueError \"Field 'id' "
        "expected a number but got 'abc'\" from get_object_or_404(..., pk=request.POST['application']) "
        "in apps/contacts/views/contacts.py interaction_create",
    ),
    "interaction on an application naming a contact": (
        FormCase(
            url=lambda w: reverse("contacts:application_interaction_create", args=[w.application.pk]),
            fields=lambda w: {**_interaction_fields(w), "contact": choice([w.contact.pk])},
            examples=(
                {
                    "contact": "abc",
                    "date": "2024-01-02",
                    "channel": "call",
                    "direction": "incoming",
                    "summary": "Hi",
                },
            ),
        ),
        "POST /applications/<pk>/interactions/new/ with contact=abc is a 500: ValueError from "
        "get_object_or_404(..., pk=request.POST['contact']) in apps/contacts/views/contacts.py "
        "application_interaction_create",
    ),
    "people removed from an interview": (
        FormCase(
            url=lambda w: reverse("contacts:interview_people", args=[w.interview.pk]),
            fields=lambda w: {"action": st.just("remove"), "participant": choice([w.participant.pk])},
            htmx=None,
            examples=({"action": "remove", "participant": "abc"},),
        ),
        "POST /interviews/<pk>/people/ with action=remove&participant=abc is a 500: ValueError from "
        "get_object_or_404(..., pk=request.POST.get('participant')) in apps/contacts/views/contacts.py "
        "interview_people",
    ),
    "application move with a bare word as next": (
        FormCase(
            url=lambda w: reverse("pipeline:application_move", args=[w.application.pk]),
            fields=lambda w: {"stage": choice(Stage.values), "note": text(500), "next": text(200)},
            htmx=None,
            examples=({"stage": "offer", "next": "0"},),
        ),
        "POST /applications/<pk>/move/ with next=0 (any value without '/' or '.') is a 500: _safe_next "
        "accepts it as a relative URL, then redirect('0') treats it as a view name and raises NoReverseMatch "
        "(apps/pipeline/views/applications.py application_move -> django.shortcuts.resolve_url)",
    ),
    "reminder action with a bare word as next": (
        FormCase(
            url=lambda w: reverse("reminders:action", args=[w.reminder.pk]),
            fields=lambda w: {"action": st.just("snooze"), "next": text(300)},
            examples=({"action": "snooze", "next": "0"},),
        ),
        "POST /reminders/<pk>/ action=snooze with next=0 (any value without '/' or '.') is a 500: "
        "url_has_allowed_host_and_scheme accepts it, then redirect('0') raises NoReverseMatch "
        "(apps/reminders/views.py reminder_action)",
    ),
    "prep question removed": (
        FormCase(
            url=lambda w: reverse("prep:part", args=[w.interview.pk, "questions"]),
            fields=lambda w: {"remove": choice([w.question.pk])},
            examples=({"remove": "abc"},),
        ),
        "POST /interviews/<pk>/prep/questions/ with remove=abc is a 500: ValueError from "
        "plan.questions_to_ask.filter(pk=request.POST['remove']) in apps/prep/views/plan.py _save_part",
    ),
    "prep research note removed": (
        FormCase(
            url=lambda w: reverse("prep:part", args=[w.interview.pk, "research"]),
            fields=lambda w: {"remove": choice([w.research.pk])},
            examples=({"remove": "abc"},),
        ),
        "POST /interviews/<pk>/prep/research/ with remove=abc is a 500: ValueError from "
        "plan.research.filter(pk=request.POST['remove']) in apps/prep/views/plan.py _save_part",
    ),
    "prep story taken off": (
        FormCase(
            url=lambda w: reverse("prep:part", args=[w.interview.pk, "stories"]),
            fields=lambda w: {"remove": choice([w.story.pk])},
            examples=({"remove": "abc"},),
        ),
        "POST /interviews/<pk>/prep/stories/ with remove=abc is a 500: ValueError from "
        "get_object_or_404(Story..., pk=request.POST['remove']) in apps/prep/views/plan.py _save_part",
    ),
    "prep panel notes": (
        FormCase(
            url=lambda w: reverse("prep:part", args=[w.interview.pk, "panel"]),
            fields=lambda w: {f"note_{w.participant.pk}": text(1_000)},
            examples=(lambda w: {f"note_{w.participant.pk}": "a\x00b"},),
        ),
        "POST /interviews/<pk>/prep/panel/ with a note containing a NUL byte is a 500: the raw POST values "
        "are stored in the PrepPlan.panel_notes JSONField and Postgres raises DataError 'unsupported Unicode "
        "escape sequence' (apps/prep/services.py plan_update, from views/plan.py _save_part)",
    ),
}


# The exception behind each known bug's server error.


# --- The test -----------------------------------------------------------------------------------------


def _assert_handled(response: HttpResponse, request: str) -> None:
    assert response.status_code < 500, f"{request} -> {response.status_code}"
    body = response.content
    # Django's technical error pages, should DEBUG ever be on where this runs.
    assert b"DEBUG = True" not in body and b"Django Version:" not in body, request


def _session_cookie(user: User) -> str:
    """A signed-in session made once per test; each example's fresh client presents it."""
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _client(case: FormCase, session: str) -> Client:
    client = Client()
    if case.signed_in:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
    return client


def _send(case: FormCase, world: World, session: str, data: dict, htmx: bool) -> None:
    headers = HTMX if htmx else {}
    url = case.url(world)
    # A savepoint per example, rolled back: the next example starts from the same data.
    with transaction.atomic():
        client = _client(case, session)
        if case.sender is not None:
            responses = case.sender(client, world, data, headers)
        elif case.method == "get":
            responses = [client.get(url, data, headers=headers)]
        else:
            responses = [client.post(url, data, headers=headers)]
        for response in responses:
            _assert_handled(response, f"{case.method.upper()} {url} {headers}")
        transaction.set_rollback(True)


def _run(case: FormCase, world: World) -> None:
    data = case.payload(world) if case.payload else payloads(case.fields(world))
    htmx = st.booleans() if case.htmx is None else st.just(case.htmx)
    session = _session_cookie(world.user)

    def check(data: dict, htmx: bool) -> None:
        _send(case, world, session, data, htmx)

    for known in case.examples:
        check = example(data=known(world) if callable(known) else known, htmx=bool(case.htmx))(check)
    settings(FUZZ, max_examples=case.max_examples * FACTOR)(given(data=data, htmx=htmx)(check))()


@pytest.mark.parametrize("name", CASES)
def test_forms_answer_any_input_without_a_server_error(name: str, world: World):
    _run(CASES[name], world)


@pytest.mark.parametrize(
    "name",
    # Each case once failed with a server error; all are fixed and kept as regression tests.
    [pytest.param(name) for name in BUG_CASES],
)
def test_inputs_that_once_caused_server_errors_now_get_a_clear_answer(name: str, world: World):
    _run(BUG_CASES[name][0], world)
