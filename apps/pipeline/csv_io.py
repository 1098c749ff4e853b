"""CSV export and import of applications: the columns, the export writer, reading and checking an upload.

Views live in views/csv_io.py; nothing here knows about requests. An import goes
upload -> column mapping -> preview -> confirm, and the file is kept between steps
in an ApplicationImport row.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from apps.accounts.models import User
from apps.core.forms import check_sane_date
from apps.pipeline.models import (
    Application,
    ApplicationImport,
    ApplicationQuerySet,
    Company,
    Stage,
    StageChange,
    WorkMode,
)
from apps.pipeline.services import company_get_or_create, follow_up_plan
from apps.reminders import api as reminders

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_ROWS = 20
# PositiveIntegerField's ceiling on Postgres.
MAX_SALARY = 2_147_483_647

NOT_UTF8 = "This file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8' and try again."


# --- Columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str  # our name for it: the key of ApplicationImport.mapping
    header: str  # the header we write, in the job seeker's words
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> list[str]:
        """Headers that mean this column, best first, in matching form."""
        return [_header_key(name) for name in (self.header, self.field, *self.synonyms)]


# The order is the export's column order; keep it stable, people build spreadsheets on it.
COLUMNS: tuple[Column, ...] = (
    Column("company_name", "Company", ("company name", "employer"), required=True),
    Column("role_title", "Role", ("role title", "title", "job title", "position"), required=True),
    Column("stage", "Stage", ("status",)),
    Column("applied_on", "Applied on", ("date applied", "created at")),
    Column("decision_expected_on", "Decision by", ("decision promised by",)),
    Column("job_url", "Job link", ("url", "link", "job url")),
    Column("location", "Location"),
    Column("work_mode", "Work mode"),
    Column("salary_min", "Salary min", ("minimum salary",)),
    Column("salary_max", "Salary max", ("maximum salary",)),
    Column("salary_currency", "Currency"),
    Column("source", "Source"),
    Column("excitement", "Excitement"),
    Column("next_step", "Next step"),
    Column("notes", "Notes"),
    Column("archived", "Archived"),
)


def _header_key(header: str) -> str:
    return " ".join(header.replace("_", " ").split()).casefold()


def auto_mapping(headers: list[str]) -> dict[str, str]:
    """Our field -> the file's header, for headers that plainly name one of our columns."""
    by_key: dict[str, str] = {}
    for header in headers:
        if header:
            by_key.setdefault(_header_key(header), header)
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        match = next((by_key[name] for name in column.names() if name in by_key), None)
        if match is not None and match not in mapping.values():
            mapping[column.field] = match
    return mapping


def missing_required(mapping: dict[str, str]) -> list[Column]:
    return [column for column in COLUMNS if column.required and not mapping.get(column.field)]


# --- Spreadsheet formulas ------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula, which a
# crafted job advert pasted into notes could use to run commands on open.
FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def _needs_quote(value: str) -> bool:
    # Also quote cells that already begin with quotes before a formula
    # character, so that removing exactly one quote on import is always right.
    return value.lstrip("'")[:1] in FORMULA_STARTS


def escape_cell(value: str) -> str:
    return f"'{value}" if _needs_quote(value) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and _needs_quote(value[1:]) else value


# --- Export --------------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


_EXPORTERS: dict[str, Callable[[Application, ZoneInfo], str]] = {
    "company_name": lambda a, zone: a.company.name,
    "role_title": lambda a, zone: a.role_title,
    "stage": lambda a, zone: a.get_stage_display(),
    "applied_on": lambda a, zone: a.created_at.astimezone(zone).date().isoformat(),
    "decision_expected_on": lambda a, zone: _iso(a.decision_expected_on),
    "job_url": lambda a, zone: a.job_url,
    "location": lambda a, zone: a.location,
    "work_mode": lambda a, zone: a.get_work_mode_display(),
    "salary_min": lambda a, zone: _number(a.salary_min),
    "salary_max": lambda a, zone: _number(a.salary_max),
    "salary_currency": lambda a, zone: a.salary_currency,
    "source": lambda a, zone: a.source,
    "excitement": lambda a, zone: _number(a.excitement),
    "next_step": lambda a, zone: a.next_step,
    "notes": lambda a, zone: a.notes,
    "archived": lambda a, zone: "yes" if a.archived else "no",
}


def export_file_name(today: dt.date) -> str:
    return f"second-round-applications-{today.isoformat()}.csv"


def export_row(application: Application, zone: ZoneInfo) -> list[str]:
    return [escape_cell(_EXPORTERS[column.field](application, zone)) for column in COLUMNS]


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def write_export(out: Writable, *, applications: ApplicationQuerySet, zone: ZoneInfo) -> None:
    """Write the applications as CSV, oldest first, with a byte order mark so Excel reads UTF-8."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([column.header for column in COLUMNS])
    ordered = applications.select_related("company").order_by("created_at", "pk")
    for application in ordered.iterator(chunk_size=2000):
        writer.writerow(export_row(application, zone))


# --- Reading an upload ---------------------------------------------------------------------------


class CsvFileError(Exception):
    """The file as a whole cannot be imported; the message is shown to the user."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (row number as a spreadsheet shows it, the header being row 1; the cells)
    rows: list[tuple[int, list[str]]]


def decode_upload(raw: bytes) -> str:
    try:
        # utf-8-sig drops the byte order mark Excel writes, and reads files without one too.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(NOT_UTF8) from None
    if "\x00" in text:
        # UTF-16 files and binaries decode "successfully" into NUL-filled text.
        raise CsvFileError(NOT_UTF8)
    return text


def read_table(text: str) -> Table:
    """Split CSV text into the header row and the non-blank rows under it."""
    if not text.strip():
        raise CsvFileError("This file is empty. Choose the CSV file with your applications in it.")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise CsvFileError(
            f"This file could not be read as CSV ({error}). Save it again as 'CSV UTF-8'."
        ) from None
    headers = [cell.strip() for cell in records[0]]
    if not any(headers):
        raise CsvFileError("The first row of the file should hold the column names, but it is empty.")
    _refuse_repeated_headers(headers)
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise CsvFileError("This file has column names but no applications under them.")
    if len(rows) > MAX_ROWS:
        raise CsvFileError(
            f"This file has {len(rows):,} applications; we can import up to {MAX_ROWS:,} at a time. "
            "Split it into smaller files."
        )
    return Table(headers=headers, rows=rows)


def _refuse_repeated_headers(headers: list[str]) -> None:
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise CsvFileError(
                f"Two columns are both called '{header}'. Give each column its own name and upload it again."
            )
        seen.add(header)


def read_upload(raw: bytes) -> tuple[str, Table]:
    text = decode_upload(raw)
    return text, read_table(text)


# --- Checking each row ---------------------------------------------------------------------------


class CellError(Exception):
    """One cell's value is not usable; the message is in the job seeker's words."""


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"


def _squash(value: str) -> str:
    # "Second interview", "second_interview" and "SECOND-INTERVIEW" all mean one stage.
    return re.sub(r"[^0-9a-z]", "", value.casefold())


def _choice_parser(choices: type[models.TextChoices], label: str, empty: str) -> Callable[[str], str]:
    lookup = {_squash(value): value for value in choices.values}
    lookup.update({_squash(name): value for value, name in choices.choices})
    listed = ", ".join(str(name) for _, name in choices.choices)

    def parse(value: str) -> str:
        value = value.strip()
        if not value:
            return empty
        try:
            return lookup[_squash(value)]
        except KeyError:
            raise CellError(f"{label} {_shown(value)} is not one we know. Use one of: {listed}.") from None

    return parse


def _text_parser(
    label: str, max_length: int, *, required: bool = False, collapse: bool = False
) -> Callable[[str], str]:
    def parse(value: str) -> str:
        # Company names are matched to existing companies, so spacing inside them is tidied too.
        value = " ".join(value.split()) if collapse else value.strip()
        if required and not value:
            raise CellError(f"{label} is empty; every application needs one.")
        if len(value) > max_length:
            raise CellError(f"{label} is {len(value)} characters long; the most we keep is {max_length}.")
        return value

    return parse


def _date_parser(label: str) -> Callable[[str], dt.date | None]:
    def parse(value: str) -> dt.date | None:
        value = value.strip()
        if not value:
            return None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise CellError(
                f"{label} {_shown(value)} is not a date written as YYYY-MM-DD, such as 2025-03-14. "
                "Only that form is accepted, so days and months can't be mixed up."
            )
        try:
            return check_sane_date(dt.date.fromisoformat(value))
        except ValidationError as error:
            raise CellError(f"{label} {_shown(value)}: {error.messages[0]}") from None
        except ValueError:
            raise CellError(f"{label} {_shown(value)} is not a real date.") from None

    return parse


def _salary_parser(label: str) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        digits = "".join(value.split()).replace(",", "")
        if not digits:
            return None
        if not re.fullmatch(r"[0-9]+", digits):
            raise CellError(
                f"{label} {_shown(value)} is not a whole number. Write digits only, such as 55000."
            )
        if int(digits) > MAX_SALARY:
            raise CellError(f"{label} {_shown(value)} is too large.")
        return int(digits)

    return parse


def _parse_currency(value: str) -> str:
    code = value.strip().upper()
    if code and not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(f"Currency {_shown(value)} is not a three-letter code such as GBP, EUR or USD.")
    return code


_HTTP_URL = URLValidator(schemes=["http", "https"])


def _parse_job_url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if len(value) > 500:
        raise CellError(f"Job link is {len(value)} characters long; the most we keep is 500.")
    try:
        _HTTP_URL(value)
    except ValidationError:
        raise CellError(
            f"Job link {_shown(value)} is not a web address starting with http:// or https://."
        ) from None
    return value


def _parse_excitement(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise CellError(f"Excitement {_shown(value)} must be a whole number from 1 to 5.")
    return int(value)


_YES = {"yes", "true", "1"}
_NO = {"no", "false", "0", ""}


def _parse_archived(value: str) -> bool:
    value = value.strip().casefold()
    if value not in _YES | _NO:
        raise CellError(f"Archived {_shown(value)} must be yes or no, or left empty.")
    return value in _YES


_PARSERS: dict[str, Callable[[str], Any]] = {
    "company_name": _text_parser("Company", 200, required=True, collapse=True),
    "role_title": _text_parser("Role", 200, required=True),
    "stage": _choice_parser(Stage, "Stage", empty=Stage.APPLIED),
    "applied_on": _date_parser("Applied on"),
    "decision_expected_on": _date_parser("Decision by"),
    "job_url": _parse_job_url,
    "location": _text_parser("Location", 200),
    "work_mode": _choice_parser(WorkMode, "Work mode", empty=""),
    "salary_min": _salary_parser("Salary min"),
    "salary_max": _salary_parser("Salary max"),
    "salary_currency": _parse_currency,
    "source": _text_parser("Source", 100),
    "excitement": _parse_excitement,
    "next_step": _text_parser("Next step", 200),
    # Notes are kept exactly as written, spaces and line breaks included.
    "notes": lambda value: value,
    "archived": _parse_archived,
}


@dataclass(frozen=True)
class ImportRow:
    """One application, checked and ready to create."""

    number: int
    values: dict[str, Any]

    def shown(self, field_name: str) -> str:
        """The value as the preview shows it."""
        value = self.values[field_name]
        if field_name == "stage":
            return str(Stage(value).label)
        if field_name == "work_mode":
            return str(WorkMode(value).label) if value else ""
        if field_name == "archived":
            return "yes" if value else "no"
        if isinstance(value, dt.date):
            return value.isoformat()
        return "" if value is None else str(value)


@dataclass(frozen=True)
class RowProblem:
    number: int
    reasons: list[str]


@dataclass(frozen=True)
class SampleRow:
    """A row of the preview table: as it will be imported, or as written when it needs fixing."""

    number: int
    values: list[str]
    needs_fixing: bool


@dataclass
class ImportPreview:
    columns: list[Column]  # the columns being imported, in our order
    rows: list[ImportRow] = dataclasses.field(default_factory=list)  # every good row
    problems: list[RowProblem] = dataclasses.field(default_factory=list)  # every bad row
    sample: list[SampleRow] = dataclasses.field(default_factory=list)  # the first few rows

    @property
    def row_count(self) -> int:
        return len(self.rows) + len(self.problems)


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return unescape_cell(cells[index])


def check_row(number: int, cells: list[str], indexes: dict[str, int | None]) -> ImportRow | RowProblem:
    values: dict[str, Any] = {}
    reasons: list[str] = []
    for field_name, index in indexes.items():
        try:
            values[field_name] = _PARSERS[field_name](_cell(cells, index))
        except CellError as error:
            reasons.append(str(error))
    low, high = values.get("salary_min"), values.get("salary_max")
    if low is not None and high is not None and low > high:
        reasons.append(f"Salary min ({low}) is more than Salary max ({high}).")
    return RowProblem(number, reasons) if reasons else ImportRow(number, values)


def preview_import(table: Table, mapping: dict[str, str]) -> ImportPreview:
    """Check every row under this mapping; keep the first rows for showing as they will be imported.

    Unmapped fields are still parsed (from an empty cell), so each row carries
    the same defaults the service would give it.
    """
    position = {header: index for index, header in enumerate(table.headers) if header}
    indexes = {column.field: position.get(mapping.get(column.field, "")) for column in COLUMNS}
    columns = [column for column in COLUMNS if indexes[column.field] is not None]
    preview = ImportPreview(columns=columns)
    for number, cells in table.rows:
        checked = check_row(number, cells, indexes)
        if isinstance(checked, RowProblem):
            preview.problems.append(checked)
        else:
            preview.rows.append(checked)
        if len(preview.sample) < PREVIEW_ROWS:
            preview.sample.append(_sample_line(checked, cells, indexes, columns))
    return preview


def _sample_line(
    checked: ImportRow | RowProblem, cells: list[str], indexes: dict[str, int | None], columns: list[Column]
) -> SampleRow:
    if isinstance(checked, ImportRow):
        return SampleRow(checked.number, [checked.shown(column.field) for column in columns], False)
    # A bad row has no imported form yet: show what the file says, so it can be found and fixed.
    return SampleRow(checked.number, [_cell(cells, indexes[column.field]) for column in columns], True)


# --- Forms ---------------------------------------------------------------------------------------


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="Your CSV file",
        help_text="Up to 5 MB and 20,000 applications. The first row must hold the column names.",
        error_messages={
            "required": "Choose a CSV file to upload.",
            "empty": "This file is empty. Choose the CSV file with your applications in it.",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    # Set by clean_file: the decoded file and its rows, read once for the view.
    text: str
    table: Table

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("This file is larger than 5 MB. Split it into smaller files and try again.")
        try:
            self.text, self.table = read_upload(upload.read())
        except CsvFileError as error:
            raise ValidationError(str(error)) from None
        return upload


NOT_IMPORTED = "— not imported —"


class ColumnMappingForm(forms.Form):
    """For each of our columns, which of the file's columns it is read from."""

    def __init__(self, headers: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IMPORTED), *((header, header) for header in headers if header)]
        for column in COLUMNS:
            self.fields[column.field] = forms.ChoiceField(
                label=column.header,
                choices=choices,
                required=column.required,
                error_messages={"required": f"Choose the column that holds the {column.header.lower()}."},
            )

    def mapping(self) -> dict[str, str]:
        return {name: header for name, header in self.cleaned_data.items() if header}


# --- Writing -------------------------------------------------------------------------------------


class AlreadyImported(Exception):
    pass


class RowsRefused(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


def application_import_start(*, owner: User, file_name: str, text: str, table: Table) -> ApplicationImport:
    return ApplicationImport.objects.create(
        owner=owner, file_name=file_name[:255], content=text, mapping=auto_mapping(table.headers)
    )


def application_import_map(*, application_import: ApplicationImport, mapping: dict[str, str]) -> None:
    application_import.mapping = mapping
    application_import.save(update_fields=["mapping"])


@transaction.atomic
def application_import_perform(
    *, application_import: ApplicationImport, rows: list[ImportRow], now: dt.datetime | None = None
) -> int:
    """Create every row's application, or none of them; an upload is imported at most once.

    1. Claim the upload with a conditional update: of two confirmations sent at
       once (a double click), the second waits on the row lock, then finds it
       taken and creates nothing.
    2. Build and validate every application before writing any.
    3. Create companies, applications and their first history lines in bulk.
    """
    now = now or timezone.now()
    claimed = ApplicationImport.objects.filter(pk=application_import.pk, imported_at__isnull=True).update(
        imported_at=now
    )
    if not claimed:
        raise AlreadyImported
    owner = application_import.owner
    applications = _build_applications(owner=owner, rows=rows, zone=owner.zone, now=now)
    companies = companies_for_names(owner=owner, names=[row.values["company_name"] for row in rows])
    for application, row in zip(applications, rows, strict=True):
        application.company = companies[row.values["company_name"].lower()]
    Application.objects.bulk_create(applications, batch_size=1000)
    StageChange.objects.bulk_create(
        [
            StageChange(
                application=application,
                from_stage="",
                to_stage=application.stage,
                changed_at=application.created_at,
            )
            for application in applications
        ],
        batch_size=2000,
    )
    # In bulk too: one settings read, then two queries per thousand follow-ups.
    preferences = reminders.settings_for(owner)
    reminders.schedule_many(
        follow_up_plan(application=application, preferences=preferences, now=now)
        for application in applications
    )
    application_import.imported_at = now
    return len(applications)


# These mirror services.application_create field for field. The service spends
# several queries and a savepoint on each row (about 35 seconds for 10,000 rows
# on this machine), so the import makes the same rows in bulk. A rule added to
# the service (a reminder to schedule, say) must be added here too.
def _build_applications(
    *, owner: User, rows: list[ImportRow], zone: ZoneInfo, now: dt.datetime
) -> list[Application]:
    applications: list[Application] = []
    problems: list[RowProblem] = []
    for row in rows:
        values = dict(row.values)
        del values["company_name"]
        applied_on = values.pop("applied_on")
        # Noon, so the day stays the same day in every nearby time zone.
        created_at = dt.datetime.combine(applied_on, dt.time(12), tzinfo=zone) if applied_on else now
        application = Application(owner=owner, stage_changed_at=created_at, created_at=created_at, **values)
        try:
            # Our parsers already enforce these; the model's own checks are the safety net.
            application.full_clean(
                exclude=["owner", "company"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            problems.append(RowProblem(row.number, [m for ms in error.message_dict.values() for m in ms]))
        applications.append(application)
    if problems:
        raise RowsRefused(problems)
    return applications


def companies_for_names(*, owner: User, names: Iterable[str]) -> dict[str, Company]:
    """The owner's company for each name, keyed lower-case: matched without regard to case, made once."""
    spelled: dict[str, str] = {}
    for name in names:
        # The first spelling in the file names a new company.
        spelled.setdefault(name.lower(), name)
    found = _companies_named(owner, spelled)
    missing = [Company(owner=owner, name=name) for key, name in spelled.items() if key not in found]
    if missing:
        # A company made meanwhile by another request is skipped here and found below.
        Company.objects.bulk_create(missing, ignore_conflicts=True, batch_size=1000)
        found = _companies_named(owner, spelled)
    for key, name in spelled.items():
        if key not in found:
            # Python's and Postgres's lower case differ for a few letters; the service decides.
            found[key] = company_get_or_create(owner=owner, name=name)
    return found


def _companies_named(owner: User, spelled: dict[str, str]) -> dict[str, Company]:
    matches = Company.objects.for_user(owner).annotate(key=Lower("name")).filter(key__in=list(spelled))
    found: dict[str, Company] = {}
    for company in matches.order_by("pk"):
        found.setdefault(company.name.lower(), company)
    return found
