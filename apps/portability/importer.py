"""Bringing an export file into an account: read it, check all of it, then write it all or nothing.

1. `read_document` turns the uploaded bytes into the document, or refuses a file
   that is not UTF-8, not JSON, or not our format and version.
2. `check_document` checks every row (types, choices, lengths, the rules the
   database would enforce) and every reference between rows, against the file
   and against what the account already holds. Any problem refuses the file.
3. `write_plan` creates the new rows parents first, links them by the ids they
   got, and records each ref it created, so a second import of the file skips
   them. The caller runs 2 and 3 in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from apps.accounts.models import User
from apps.accounts.time_zones import is_valid_time_zone
from apps.contacts.models import InterviewParticipant
from apps.journal import checklists
from apps.portability import schema
from apps.portability.models import ImportedRef
from apps.prep import guide
from apps.reminders import kinds
from apps.reminders.models import WAITING, Kind, Reminder, ReminderSettings, Status

BATCH_SIZE = 500
# Ids or refs looked up per query: well inside what one IN (...) list should carry.
LOOKUP_SIZE = 1000
# More than this and the list stops helping: the file is not what we think it is.
MAX_PROBLEMS = 50
REF_PATTERN = re.compile(r"^[a-z_]+:[A-Za-z0-9._-]{1,80}$")
DEDUPE_ABOUT = {"interview": "interview", "application": "application", "reference": "subject"}
# The longest dedupe key a template may make once {id} becomes a 19-digit id.
DEDUPE_KEY_MAX = Reminder._meta.get_field("dedupe_key").max_length
# Reminders that would still be emailed; sent, failed, done and dismissed ones are history.
STILL_TO_SEND = [*WAITING, Status.SENDING]


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says why, in words the person can act on."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "The file cannot be imported.")
        self.problems = problems


class _TooManyProblems(Exception):
    pass


# --- 1. Reading the file ------------------------------------------------------------


def read_document(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [
                f"The file is not UTF-8 text (the byte at position {error.start} is not UTF-8). "
                "Upload the .json file exactly as Second Round wrote it."
            ]
        ) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except _NotANumber as error:
        raise ImportRefused([f"The file is not valid JSON: {error} is not a number JSON allows."]) from None
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."]
        ) from None
    except RecursionError:
        raise ImportRefused(["The file is not a Second Round export: it is nested far too deeply."]) from None
    _check_format(document)
    return document


class _NotANumber(ValueError):
    pass


def _refuse_constant(name: str) -> None:
    # Python reads NaN and Infinity, which JSON does not have and PostgreSQL refuses.
    raise _NotANumber(name)


def _check_format(document: object) -> None:
    if not isinstance(document, dict) or document.get("format") != schema.FORMAT:
        raise ImportRefused(
            [f'This is not a Second Round export: the file should start with "format": "{schema.FORMAT}".']
        )
    version = document.get("version")
    if version != schema.VERSION or isinstance(version, bool):
        raise ImportRefused(
            [
                f"This export is in version {json.dumps(version)} of the format; "
                f"this site reads version {schema.VERSION}. Nothing was imported."
            ]
        )


# --- 2. Checking it -----------------------------------------------------------------


@dataclass
class PlannedRow:
    table: schema.Table
    number: int
    ref: str
    instance: models.Model
    # Link name -> the ref it names (None for an empty optional link).
    links: dict[str, str | None]
    # Values of auto_now fields, which saving overwrites and the import puts back.
    stamps: dict[str, dt.datetime] = field(default_factory=dict)
    # prep_plans: participant ref -> note. reminders: the dedupe key template.
    panel_notes: dict[str, str] = field(default_factory=dict)
    dedupe_template: str = ""

    @property
    def where(self) -> str:
        return f"{self.table.key}, row {self.number} ({self.ref})"


@dataclass
class ImportPlan:
    rows: dict[str, list[PlannedRow]]
    # Refs the account already holds (imported before, or its own): ref -> id.
    known: dict[str, int]
    # Refs recorded by an earlier import whose row has since been deleted.
    stale: set[str]
    reminder_settings: dict[str, object] | None
    profile: dict[str, str]


class _Checker:
    def __init__(self, user: User, document: dict) -> None:
        self.user = user
        self.document = document
        self.problems: list[str] = []
        # ref -> table key, for every row in the file.
        self.file_refs: dict[str, str] = {}
        self.rows: dict[str, list[PlannedRow]] = {table.key: [] for table in schema.TABLES}

    def problem(self, message: str) -> None:
        self.problems.append(message)
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    # The steps, in order ---------------------------------------------------------

    def run(self) -> ImportPlan:
        raw_tables = self._raw_tables()
        self._collect_refs(raw_tables)
        known, known_tables, stale = _known_refs(
            self.user, set(self.file_refs) | set(self._linked_refs(raw_tables))
        )
        self.known, self.known_tables = known, known_tables
        for table in schema.IMPORT_ORDER:
            for number, raw in enumerate(raw_tables[table.key], start=1):
                if isinstance(raw, dict) and isinstance(raw.get("ref"), str):
                    self._check_row(table, number, raw)
        self._check_natural_keys()
        self._check_panel_notes()
        self._check_dedupe_keys()
        reminder_settings = self._reminder_settings()
        profile = self._profile()
        return ImportPlan(
            rows=self.rows, known=known, stale=stale, reminder_settings=reminder_settings, profile=profile
        )

    def _raw_tables(self) -> dict[str, list]:
        unknown = sorted(set(self.document) - set(schema.TOP_LEVEL_KEYS))
        if unknown:
            self.problem(f"The file has parts this version does not know: {', '.join(unknown)}.")
        tables: dict[str, list] = {}
        for table in schema.TABLES:
            value = self.document.get(table.key, [])
            if not isinstance(value, list):
                self.problem(f'"{table.key}" should be a list of rows.')
                value = []
            tables[table.key] = value
        return tables

    def _collect_refs(self, raw_tables: dict[str, list]) -> None:
        for table in schema.TABLES:
            for number, raw in enumerate(raw_tables[table.key], start=1):
                where = f"{table.key}, row {number}"
                if not isinstance(raw, dict):
                    self.problem(f"{where}: should be an object with named values.")
                    continue
                ref = raw.get("ref")
                if not _is_ref(ref, table):
                    self.problem(f'{where}: "ref" should look like "{table.kind}:<id>", not {_show(ref)}.')
                    raw.pop("ref", None)
                elif ref in self.file_refs:
                    self.problem(f"{where}: the ref {ref} is used by another row too.")
                    raw.pop("ref", None)
                else:
                    self.file_refs[ref] = table.key

    @staticmethod
    def _linked_refs(raw_tables: dict[str, list]) -> Iterator[str]:
        for table in schema.TABLES:
            for raw in raw_tables[table.key]:
                if not isinstance(raw, dict):
                    continue
                for link in table.links:
                    if isinstance(raw.get(link.name), str):
                        yield raw[link.name]
                notes = raw.get("panel_notes") if table.key == "prep_plans" else None
                if isinstance(notes, dict):
                    yield from notes

    # One row ------------------------------------------------------------------------

    def _check_row(self, table: schema.Table, number: int, raw: dict) -> None:
        ref = raw["ref"]
        where = f"{table.key}, row {number} ({ref})"
        unknown = sorted(set(raw) - set(table.columns))
        if unknown:
            self.problem(f"{where}: unknown columns {', '.join(unknown)}.")
        links = {link.name: self._link(where, link, raw) for link in table.links}
        values, stamps = self._values(where, table, raw)
        if values is None:
            return
        row = PlannedRow(table=table, number=number, ref=ref, instance=table.model(**values), links=links)
        row.stamps = stamps
        self._clean(row)
        extra_check = ROW_CHECKS.get(table.key)
        if extra_check:
            for message in extra_check(row, raw):
                self.problem(f"{where}: {message}")
        self.rows[table.key].append(row)

    def _link(self, where: str, link: schema.Link, raw: dict) -> str | None:
        value = raw.get(link.name)
        if value is None:
            if not link.nullable:
                self.problem(f'{where}: "{link.name}" is required.')
            return None
        if not isinstance(value, str) or not self.resolves(value, link.table):
            self.problem(
                f'{where}: "{link.name}" names {_show(value)}, which is not a row of '
                f'"{link.table}" in this file or in your account.'
            )
            return None
        return value

    def resolves(self, ref: str, table_key: str) -> bool:
        return self.file_refs.get(ref) == table_key or self.known_tables.get(ref) == table_key

    def _values(
        self, where: str, table: schema.Table, raw: dict
    ) -> tuple[dict[str, object] | None, dict[str, dt.datetime]]:
        values: dict[str, object] = {}
        stamps: dict[str, dt.datetime] = {}
        ok = True
        for name in table.fields:
            model_field = table.model._meta.get_field(name)
            if name not in raw:
                if not _optional(model_field):
                    self.problem(f'{where}: "{name}" is missing.')
                    ok = False
                continue
            try:
                value = decode(model_field, raw[name])
            except ValueError as error:
                self.problem(f'{where}: "{name}" {error}')
                ok = False
                continue
            stamped = getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
            if stamped and value is not None:
                stamps[name] = value
            values[name] = value
        if table.key == "prep_plans":
            values.pop("panel_notes", None)
        if table.key == "reminders":
            values.pop("dedupe_key", None)
        return (values if ok else None), stamps

    def _clean(self, row: PlannedRow) -> None:
        table = row.table
        exclude = [link.field for link in table.links if link.field]
        exclude += ["owner", "dedupe_key", "subject_key", "panel_notes"]
        exclude = [name for name in exclude if _has_field(table.model, name)]
        try:
            # Django checks constraints with one query per row; the few that
            # apply here are checked in Python instead (see ROW_CONSTRAINTS).
            row.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = "" if name == "__all__" else f'"{name}": '
                for message in messages:
                    self.problem(f"{row.where}: {label}{message}")
        for constraint in row.table.model._meta.constraints:
            check = ROW_CONSTRAINTS.get(constraint.name)
            if check is not None and not check[0](row.instance):
                self.problem(f"{row.where}: {check[1]}")

    # Across rows --------------------------------------------------------------------

    def _check_natural_keys(self) -> None:
        for table in schema.TABLES:
            if not table.natural_key:
                continue
            seen: dict[tuple, PlannedRow] = {}
            for row in self.rows[table.key]:
                key = natural_key(row)
                if key is None:
                    continue
                if key in seen:
                    self.problem(
                        f"{row.where}: the same {table.label[0]} as {seen[key].ref}; an account holds one."
                    )
                seen.setdefault(key, row)

    def _check_panel_notes(self) -> None:
        participants = {row.ref: row for row in self.rows["interview_participants"]}
        met_at = self._interviews_of_known_participants(
            ref for plan in self.rows["prep_plans"] for ref in plan.panel_notes if ref not in participants
        )
        for plan in self.rows["prep_plans"]:
            interview = plan.links["interview"]
            for ref in plan.panel_notes:
                participant = participants.get(ref)
                if participant:
                    same = participant.links["interview"] == interview
                else:
                    same = interview in self.known and met_at.get(ref) == self.known[interview]
                if not same:
                    self.problem(
                        f'{plan.where}: "panel_notes" has a note on {ref}, who is not among the people '
                        "met at this interview."
                    )

    def _interviews_of_known_participants(self, refs: Iterable[str]) -> dict[str, int]:
        """Ref -> interview id, for the people met whom the account already holds.

        Read for all the file's notes at once: a file of many prep plans whose
        people are already here must not cost a query per note.
        """
        held = {ref for ref in refs if self.known_tables.get(ref) == "interview_participants"}
        ids = sorted({self.known[ref] for ref in held})
        interview_of: dict[int, int] = {}
        for start in range(0, len(ids), LOOKUP_SIZE):
            found = InterviewParticipant.objects.filter(pk__in=ids[start : start + LOOKUP_SIZE])
            interview_of.update(found.values_list("pk", "interview_id"))
        return {ref: interview_of[self.known[ref]] for ref in held if self.known[ref] in interview_of}

    def _check_dedupe_keys(self) -> None:
        seen: set[tuple[str, str | None]] = set()
        for row in self.rows["reminders"]:
            template = row.dedupe_template
            if not template:
                continue
            about = kinds.parse_template(template).about
            named = row.links[DEDUPE_ABOUT[about]]
            if named is None:
                self.problem(f'{row.where}: "dedupe_key" is about the {about}, but the reminder names none.')
            elif (template, named) in seen:
                self.problem(f"{row.where}: another reminder has the same dedupe key; only one can be kept.")
            seen.add((template, named))

    # The single objects ---------------------------------------------------------------

    def _reminder_settings(self) -> dict[str, object] | None:
        raw = self.document.get("reminder_settings")
        if raw is None:
            return None
        where = "reminder_settings"
        if not isinstance(raw, dict):
            self.problem(f"{where}: should be an object with named values, or null.")
            return None
        unknown = sorted(set(raw) - set(schema.REMINDER_SETTINGS_FIELDS))
        if unknown:
            self.problem(f"{where}: unknown values {', '.join(unknown)}.")
        values: dict[str, object] = {}
        for name in schema.REMINDER_SETTINGS_FIELDS:
            if name not in raw:
                continue
            try:
                values[name] = decode(ReminderSettings._meta.get_field(name), raw[name])
            except ValueError as error:
                self.problem(f'{where}: "{name}" {error}')
        kinds_off = values.get("kinds_off", [])
        for message in _keys_from(kinds_off, Kind.values, "kinds of reminder"):
            self.problem(f'{where}: "kinds_off" {message}')
        try:
            ReminderSettings(owner=self.user, **values).full_clean(exclude=["owner"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.problem(f'{where}: "{name}": {" ".join(messages)}')
        return values

    def _profile(self) -> dict[str, str]:
        """Name and time zone, used only where the account has none of its own yet."""
        raw = self.document.get("user")
        if not isinstance(raw, dict):
            return {}
        profile: dict[str, str] = {}
        name = raw.get("first_name")
        if isinstance(name, str) and _clean_text(name) and len(name) <= 150:
            profile["first_name"] = name.strip()
        zone = raw.get("time_zone")
        if isinstance(zone, str) and is_valid_time_zone(zone):
            profile["time_zone"] = zone
        return profile


def check_document(*, user: User, document: dict) -> ImportPlan:
    checker = _Checker(user, document)
    try:
        plan = checker.run()
    except _TooManyProblems:
        checker.problems.append(
            f"Checking stopped after {MAX_PROBLEMS} problems: this file is probably not an export "
            "from Second Round, or it was changed by hand."
        )
        raise ImportRefused(checker.problems) from None
    if checker.problems:
        raise ImportRefused(checker.problems)
    return plan


def _known_refs(user: User, refs: set[str]) -> tuple[dict[str, int], dict[str, str], set[str]]:
    """Which of `refs` the account already holds: ref -> id, ref -> table, and refs gone stale.

    Held means imported before (and still there), or one of the account's own
    refs: the person importing their own export into the same account.
    """
    known: dict[str, int] = {}
    tables: dict[str, str] = {}
    recorded: dict[str, list[ImportedRef]] = defaultdict(list)
    wanted = list(refs)
    for start in range(0, len(wanted), LOOKUP_SIZE):
        chunk = wanted[start : start + LOOKUP_SIZE]
        for imported in ImportedRef.objects.for_user(user).filter(ref__in=chunk):
            recorded[imported.table].append(imported)
    stale: set[str] = set()
    for table_key, imported_refs in recorded.items():
        table = schema.TABLES_BY_KEY.get(table_key)
        alive = set(_owned_ids(table, user, [item.object_id for item in imported_refs])) if table else set()
        for item in imported_refs:
            if item.object_id in alive:
                known[item.ref], tables[item.ref] = item.object_id, table_key
            else:
                stale.add(item.ref)
    namer = schema.RefNamer(user)
    for table in schema.TABLES:
        rows = table.model.objects.filter(**{table.owner_path: user}).values_list("pk", flat=True)
        for pk in rows.iterator(chunk_size=5000):
            ref = namer.ref(table, pk)
            if ref in refs:
                known[ref], tables[ref] = pk, table.key
    return known, tables, stale


def _owned_ids(table: schema.Table, user: User, ids: list[int]) -> Iterator[int]:
    for start in range(0, len(ids), LOOKUP_SIZE):
        chunk = ids[start : start + LOOKUP_SIZE]
        rows = table.model.objects.filter(**{table.owner_path: user}, pk__in=chunk)
        yield from rows.values_list("pk", flat=True)


def natural_key(row: PlannedRow) -> tuple | None:
    """What makes the row the same as another in one account, or None when nothing does."""
    parts: list[object] = []
    for name in row.table.natural_key:
        if name in row.links:
            if row.links[name] is None:
                return None  # someone met but not in the contacts: never the same as another
            parts.append(row.links[name])
        else:
            value = getattr(row.instance, name)
            parts.append(value.casefold() if row.table.key == "companies" else value)
    return tuple(parts)


# --- Values --------------------------------------------------------------------------


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


def _is_ref(value: object, table: schema.Table) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= schema.REF_MAX_LENGTH
        and value.startswith(f"{table.kind}:")
        and REF_PATTERN.match(value) is not None
    )


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _optional(model_field: models.Field) -> bool:
    return bool(
        model_field.has_default()
        or model_field.null
        or model_field.blank
        or getattr(model_field, "auto_now", False)
        or getattr(model_field, "auto_now_add", False)
    )


def _clean_text(value: str) -> bool:
    """Text the database can store: PostgreSQL refuses NUL characters and lone surrogates."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_json(value: object) -> bool:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list):
        return all(_clean_json(item) for item in value)
    if isinstance(value, dict):
        return all(_clean_json(key) and _clean_json(item) for key, item in value.items())
    return True


def decode(model_field: models.Field, value: object) -> object:
    """A value from the file as the model field holds it; ValueError says what is wrong."""
    if value is None:
        if model_field.null:
            return None
        raise ValueError("must not be empty (null).")
    if isinstance(model_field, models.JSONField):
        if not _clean_json(value):
            raise ValueError("holds characters that cannot be stored.")
        return value
    if isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValueError("should be true or false.")
        return value
    if isinstance(model_field, models.IntegerField):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("should be a whole number.")
        return value
    if not isinstance(value, str):
        raise ValueError("should be text.")
    if isinstance(model_field, models.DateTimeField):
        return _datetime(value)
    if isinstance(model_field, models.DateField):
        return _parsed(parse_date, value, "a date such as 2025-03-14")
    if isinstance(model_field, models.TimeField):
        return _parsed(parse_time, value, "a time such as 21:00")
    if not _clean_text(value):
        raise ValueError("holds characters that cannot be stored.")
    return value


def _parsed(parser, value: str, example: str) -> object:
    try:
        parsed = parser(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"should be {example}, not {_show(value)}.")
    return parsed


def _datetime(value: str) -> dt.datetime:
    moment = _parsed(parse_datetime, value, "a time such as 2025-03-14T09:30:00Z")
    if moment.tzinfo is None:
        raise ValueError(f"should say its time zone (end in Z for UTC), not {_show(value)}.")
    return moment.astimezone(dt.UTC)


def _keys_from(value: object, allowed: Iterable[str], what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return ["should be a list of keys."]
    unknown = sorted(set(value) - set(allowed))
    return [f"has {', '.join(_show(key) for key in unknown)}, not among the {what}."] if unknown else []


# --- Checks for one kind of row ------------------------------------------------------


def _check_reflection(row: PlannedRow, raw: dict) -> list[str]:
    reflection = row.instance
    lists = [
        ("mistakes", checklists.keys(checklists.MISTAKES), "mistakes on the list"),
        ("good_signs", checklists.keys(checklists.GOOD_SIGNS), "good signs on the list"),
        ("warning_signs", checklists.keys(checklists.WARNING_SIGNS), "warning signs on the list"),
    ]
    return [
        f'"{name}" {message}'
        for name, allowed, what in lists
        for message in _keys_from(getattr(reflection, name), allowed, what)
    ]


def _check_story(row: PlannedRow, raw: dict) -> list[str]:
    return [
        f'"competencies" {message}'
        for message in _keys_from(row.instance.competencies, guide.COMPETENCY_KEYS, "competencies")
    ]


def _check_prep_plan(row: PlannedRow, raw: dict) -> list[str]:
    plan = row.instance
    problems = [
        f'"recruiter_checks" {message}'
        for message in _keys_from(
            plan.recruiter_checks,
            [check.key for check in guide.ASK_THE_RECRUITER],
            "questions for the recruiter",
        )
    ]
    problems += _areas_problems(plan.areas)
    notes = raw.get("panel_notes", {})
    if not isinstance(notes, dict) or not all(
        isinstance(note, str) and len(note) <= 1000 and _clean_text(note) for note in notes.values()
    ):
        problems.append('"panel_notes" should map people met to notes of at most 1,000 characters.')
    else:
        row.panel_notes = notes
    return problems


def _areas_problems(areas: object) -> list[str]:
    known = {area.key for area in guide.FIVE_AREAS}
    if not isinstance(areas, dict):
        return ['"areas" should map each area to its notes.']
    problems = []
    for key, value in areas.items():
        shape_ok = (
            isinstance(value, dict)
            and set(value) <= {"notes", "ready"}
            and isinstance(value.get("notes", ""), str)
            and len(value.get("notes", "")) <= 5000
            and isinstance(value.get("ready", False), bool)
        )
        if key not in known:
            problems.append(f'"areas" has {_show(key)}, not among the five areas.')
        elif not shape_ok:
            problems.append(
                f'"areas" {key} should be {{"notes": text up to 5,000 characters, "ready": true or false}}.'
            )
    return problems


def _check_reminder(row: PlannedRow, raw: dict) -> list[str]:
    problems = _check_reminder_about(row, raw)
    template = raw.get("dedupe_key", "")
    if template == "":
        return problems
    found = kinds.parse_template(template) if isinstance(template, str) else None
    if not found or len(template) - len(schema.ID_PLACEHOLDER) + 19 > DEDUPE_KEY_MAX:
        return [
            *problems,
            f'"dedupe_key" should be empty or look like "thank_you:interview:{{id}}", not {_show(template)}.',
        ]
    row.dedupe_template = template
    return problems


def _check_reminder_about(row: PlannedRow, raw: dict) -> list[str]:
    """A reminder must name what its kind is about: its email is built from that row."""
    registered = kinds.REGISTRY.get(row.instance.kind)
    if registered is None:
        return []  # an unknown kind is reported with the other choices
    link = DEDUPE_ABOUT.get(registered.about)
    # A reminder about the whole search (keep searching) names no row.
    if link is not None and raw.get(link) is None:
        return [f'a "{registered.key}" reminder is about {_a(registered.about)}, but "{link}" names none.']
    return []


def _a(what: str) -> str:
    return f"an {what}" if what[0] in "aeiou" else f"a {what}"


def _salary_in_order(application) -> bool:
    low, high = application.salary_min, application.salary_max
    return low is None or high is None or low <= high


def _ends_after_start(interview) -> bool:
    return interview.ends_at > interview.starts_at


# The check constraints of the exported models, as Python. Unique constraints
# are matched by natural keys instead; a test keeps this list complete.
ROW_CONSTRAINTS = {
    "application_salary_range_in_order": (
        _salary_in_order,
        "The lowest salary must not be more than the highest.",
    ),
    "interview_ends_after_start": (_ends_after_start, "The interview must end after it starts."),
}

ROW_CHECKS = {
    "reflections": _check_reflection,
    "stories": _check_story,
    "prep_plans": _check_prep_plan,
    "reminders": _check_reminder,
}


# --- 3. Writing it ----------------------------------------------------------------


PROFILE_WORDS = {"first_name": "name", "time_zone": "time zone"}


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    # Rows this account already had: brought in by an earlier import, or the same
    # thing under the same name (a company, a contact on an application).
    already_here: Counter = field(default_factory=Counter)
    reminders_dismissed: int = 0
    reminder_settings_created: bool = False
    profile_filled: list[str] = field(default_factory=list)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def created_lines(self) -> list[str]:
        return self.summary(self.created)

    @property
    def already_here_lines(self) -> list[str]:
        return self.summary(self.already_here)

    @property
    def profile_filled_words(self) -> str:
        return " and ".join(PROFILE_WORDS[name] for name in self.profile_filled)

    def summary(self, counts: Counter) -> list[str]:
        """'3 applications', '1 interview'..., in the order of the export."""
        return [
            f"{counts[table.key]} {table.label[0] if counts[table.key] == 1 else table.label[1]}"
            for table in schema.TABLES
            if counts[table.key]
        ]


class _Writer:
    def __init__(self, user: User, plan: ImportPlan, now: dt.datetime) -> None:
        self.user = user
        self.plan = plan
        self.now = now
        self.resolved: dict[str, int] = dict(plan.known)
        self.created_refs: set[str] = set()
        self.new_refs: list[ImportedRef] = []
        self.report = ImportReport()

    def run(self) -> ImportReport:
        ImportedRef.objects.for_user(self.user).filter(ref__in=self.plan.stale).delete()
        for table in schema.IMPORT_ORDER:
            self._write_table(table)
        ImportedRef.objects.bulk_create(self.new_refs, batch_size=BATCH_SIZE)
        self._write_reminder_settings()
        self._fill_profile()
        return self.report

    def _write_table(self, table: schema.Table) -> None:
        rows = self.plan.rows[table.key]
        fresh = [row for row in rows if row.ref not in self.resolved]
        self.report.already_here[table.key] += len(rows) - len(fresh)
        for row in fresh:
            self._link(row)
        fresh = self._without_matches(table, fresh)
        if table.key == "reminders":
            fresh = self._prepare_reminders(fresh)
        table.model.objects.bulk_create([row.instance for row in fresh], batch_size=BATCH_SIZE)
        self._restore_stamps(table, fresh)
        for row in fresh:
            self._remember(row, row.instance.pk, created=True)
        self.report.created[table.key] += len(fresh)

    def _remember(self, row: PlannedRow, pk: int, *, created: bool) -> None:
        self.resolved[row.ref] = pk
        if created:
            self.created_refs.add(row.ref)
        self.new_refs.append(
            ImportedRef(
                owner=self.user,
                ref=row.ref,
                table=row.table.key,
                object_id=pk,
                created=created,
                imported_at=self.now,
            )
        )

    def _link(self, row: PlannedRow) -> None:
        instance = row.instance
        if _has_field(row.table.model, "owner"):
            instance.owner = self.user
        for link in row.table.links:
            ref = row.links[link.name]
            target = self.resolved[ref] if ref else None
            if link.field:
                setattr(instance, f"{link.field}_id", target)
            else:
                instance.subject_key = f"{schema.SUBJECT_PREFIX}{target}" if target else ""
        if row.table.key == "prep_plans":
            instance.panel_notes = {str(self.resolved[ref]): note for ref, note in row.panel_notes.items()}

    def _without_matches(self, table: schema.Table, rows: list[PlannedRow]) -> list[PlannedRow]:
        """Rows the account already has under the same name are matched to those, not made twice.

        Only rows whose parents were already here can match: a parent made by
        this import has no children yet.
        """
        if not table.natural_key:
            return rows
        candidates = [row for row in rows if self._parents_were_here(row) and natural_key(row) is not None]
        if not candidates:
            return rows
        existing = self._existing_keys(table)
        matched: set[str] = set()
        for row in candidates:
            pk = existing.get(self._resolved_key(row))
            if pk is not None:
                self._remember(row, pk, created=False)
                matched.add(row.ref)
        self.report.already_here[table.key] += len(matched)
        return [row for row in rows if row.ref not in matched]

    def _parents_were_here(self, row: PlannedRow) -> bool:
        return not any(ref in self.created_refs for ref in row.links.values() if ref)

    def _resolved_key(self, row: PlannedRow) -> tuple:
        return tuple(
            self.resolved[row.links[name]] if name in row.links else part
            for name, part in zip(row.table.natural_key, natural_key(row), strict=True)
        )

    def _existing_keys(self, table: schema.Table) -> dict[tuple, int]:
        names = [
            f"{table.link(name).field}_id" if name in {link.name for link in table.links} else name
            for name in table.natural_key
        ]
        rows = table.model.objects.filter(**{table.owner_path: self.user}).values_list("pk", *names)
        existing: dict[tuple, int] = {}
        for pk, *parts in rows.iterator(chunk_size=5000):
            key = tuple(part.casefold() if table.key == "companies" else part for part in parts)
            existing.setdefault(key, pk)
        return existing

    def _prepare_reminders(self, rows: list[PlannedRow]) -> list[PlannedRow]:
        for row in rows:
            reminder = row.instance
            reminder.dedupe_key = self._dedupe_key(row)
            if reminder.status in STILL_TO_SEND and reminder.due_at <= self.now:
                # An old reminder brought in is history: it is not emailed now.
                reminder.status = Status.DISMISSED
                reminder.closed_at = self.now
                self.report.reminders_dismissed += 1
            elif reminder.status == Status.SENDING:
                reminder.status = Status.PENDING  # the claim belonged to the other site's sender
        taken = self._taken_keys([row.instance.dedupe_key for row in rows])
        fresh = []
        for row in rows:
            pk = taken.get(row.instance.dedupe_key)
            if pk is None:
                fresh.append(row)
            else:
                # This account already has the reminder for that event.
                self._remember(row, pk, created=False)
                self.report.already_here["reminders"] += 1
        return fresh

    def _dedupe_key(self, row: PlannedRow) -> str:
        if not row.dedupe_template:
            return f"{row.instance.kind}:imported:{uuid.uuid4().hex}"
        about = kinds.parse_template(row.dedupe_template).about
        named = self.resolved[row.links[DEDUPE_ABOUT[about]]]
        return kinds.key_from_template(row.dedupe_template, named)

    def _taken_keys(self, keys: list[str]) -> dict[str, int]:
        taken: dict[str, int] = {}
        for start in range(0, len(keys), LOOKUP_SIZE):
            chunk = keys[start : start + LOOKUP_SIZE]
            found = Reminder.objects.filter(owner=self.user, dedupe_key__in=chunk)
            taken.update(found.values_list("dedupe_key", "pk"))
        return taken

    def _restore_stamps(self, table: schema.Table, rows: list[PlannedRow]) -> None:
        """Saving sets auto_now fields to now; the file's times are put back without saving."""
        for name in {name for row in rows for name in row.stamps}:
            stamped = [row for row in rows if name in row.stamps]
            for row in stamped:
                setattr(row.instance, name, row.stamps[name])
            table.model.objects.bulk_update([row.instance for row in stamped], [name], batch_size=BATCH_SIZE)

    def _write_reminder_settings(self) -> None:
        values = self.plan.reminder_settings
        if values is None or ReminderSettings.objects.filter(owner=self.user).exists():
            return
        ReminderSettings.objects.create(owner=self.user, **values)
        self.report.reminder_settings_created = True

    def _fill_profile(self) -> None:
        profile = self.plan.profile
        changed = []
        if profile.get("first_name") and not self.user.first_name:
            self.user.first_name = profile["first_name"]
            changed.append("first_name")
        default_zone = User._meta.get_field("time_zone").default
        zone = profile.get("time_zone")
        if zone and self.user.time_zone == default_zone and zone != default_zone:
            self.user.time_zone = zone
            changed.append("time_zone")
        if changed:
            self.user.save(update_fields=changed)
            self.report.profile_filled = changed


def write_plan(*, user: User, plan: ImportPlan, now: dt.datetime) -> ImportReport:
    return _Writer(user, plan, now).run()
