"""Checking each row of a file: its values read the way people write them, duplicates found.

Nothing here touches the database: what the owner already has comes in as a
set of (company, role) keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from apps.core.forms import check_sane_date
from apps.pipeline.csv import dates, stages
from apps.pipeline.csv.columns import COLUMNS, Column
from apps.pipeline.csv.exporting import unescape_cell
from apps.pipeline.csv.reading import Table
from apps.pipeline.models import Stage, WorkMode

PREVIEW_ROWS = 20
# PositiveIntegerField's ceiling on Postgres.
MAX_SALARY = 2_147_483_647
DATE_FIELDS = ("applied_on", "decision_expected_on")


class CellError(Exception):
    """One cell's value is not usable; the message is in the job seeker's words."""


class UnknownStage(CellError):
    """A stage name we can't place: the review page asks which of ours it is."""


@dataclass(frozen=True)
class Reading:
    """What a row is read with, beyond its cells: the choices made for the whole file."""

    date_order: str = dates.DMY
    zone: ZoneInfo = dataclasses.field(default_factory=lambda: ZoneInfo("UTC"))
    stages: Mapping[str, str] = dataclasses.field(default_factory=lambda: stages.stage_lookup("spreadsheet"))
    # (company, role) keys of the applications the person already has.
    existing: frozenset[tuple[str, str]] = frozenset()
    skip_duplicates: bool = True


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"


def _choice_parser(choices: type[models.TextChoices], label: str, empty: str) -> Callable[[str], str]:
    lookup = {stages.squash(value): value for value in choices.values}
    lookup.update({stages.squash(name): value for value, name in choices.choices})
    listed = ", ".join(str(name) for _, name in choices.choices)

    def parse(value: str) -> str:
        value = value.strip()
        if not value:
            return empty
        try:
            return lookup[stages.squash(value)]
        except KeyError:
            raise CellError(f"{label} {_shown(value)} is not one we know. Use one of: {listed}.") from None

    return parse


def _stage_parser(lookup: Mapping[str, str]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value.strip():
            return Stage.APPLIED
        try:
            return lookup[stages.squash(value)]
        except KeyError:
            raise UnknownStage(value) from None

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


def _date_parser(label: str, order: str, zone: ZoneInfo) -> Callable[[str], dt.date | None]:
    def parse(value: str) -> dt.date | None:
        if not value.strip():
            return None
        try:
            return check_sane_date(dates.parse_date(value, order=order, zone=zone))
        except ValidationError as error:
            raise CellError(f"{label} {_shown(value)}: {error.messages[0]}") from None
        except dates.DateNotReal as error:
            reading = f" read as {dates.ORDER_LABELS[order]}" if error.either_way else ""
            raise CellError(f"{label} {_shown(value)} is not a real date{reading}.") from None
        except dates.DateUnreadable:
            raise CellError(
                f"{label} {_shown(value)} is not a date we can read. "
                "Write it as 2025-03-14, 14/03/2025 or 14 March 2025."
            ) from None

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


def parsers_for(reading: Reading) -> dict[str, Callable[[str], Any]]:
    return {
        "company_name": _text_parser("Company", 200, required=True, collapse=True),
        "role_title": _text_parser("Role", 200, required=True),
        "stage": _stage_parser(reading.stages),
        "applied_on": _date_parser("Applied on", reading.date_order, reading.zone),
        "decision_expected_on": _date_parser("Decision by", reading.date_order, reading.zone),
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
    """One application, checked and ready to create (once its stage is known)."""

    number: int
    values: dict[str, Any]
    unknown_stage: str = ""  # the stage as written, when the person has still to say what it is

    def shown(self, field_name: str) -> str:
        """The value as the preview shows it."""
        value = self.values[field_name]
        if field_name == "stage":
            return f"{self.unknown_stage} (?)" if self.unknown_stage else str(Stage(value).label)
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
class Duplicate:
    """A row for an application the person already has, or that an earlier row of the file brings."""

    number: int
    company: str
    role: str
    same_as_row: int | None  # the earlier row of this file; None when it is one already here


@dataclass(frozen=True)
class SampleRow:
    """A row of the preview table: as it will be imported, or as written when it needs fixing."""

    number: int
    values: list[str]
    needs_fixing: bool
    skipped: bool = False


@dataclass
class ImportPreview:
    columns: list[Column]  # the columns being imported, in our order
    rows: list[ImportRow] = dataclasses.field(default_factory=list)  # every row to import
    problems: list[RowProblem] = dataclasses.field(default_factory=list)  # every bad row
    sample: list[SampleRow] = dataclasses.field(default_factory=list)  # the first few rows
    duplicates: list[Duplicate] = dataclasses.field(default_factory=list)
    skipped: int = 0  # duplicates left out
    dates: dates.DateReading | None = None
    stages: stages.StageReading | None = None

    @property
    def row_count(self) -> int:
        """Every row of the file under the column names."""
        return len(self.rows) + len(self.problems) + self.skipped

    @property
    def unknown_stages(self) -> list[stages.StageName]:
        return self.stages.unknown if self.stages else []

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.problems and not self.unknown_stages


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return unescape_cell(cells[index])


def duplicate_key(company: str, role: str) -> tuple[str, str]:
    """Company and role as a duplicate is recognised: without regard to case or spacing."""
    return (" ".join(company.split()).casefold(), " ".join(role.split()).casefold())


class RowChecker:
    def __init__(self, reading: Reading | None = None) -> None:
        self.parsers = parsers_for(reading or Reading())

    def check(self, number: int, cells: list[str], indexes: dict[str, int | None]) -> ImportRow | RowProblem:
        values: dict[str, Any] = {}
        reasons: list[str] = []
        unknown_stage = ""
        for field_name, index in indexes.items():
            try:
                values[field_name] = self.parsers[field_name](_cell(cells, index))
            except UnknownStage as unknown:
                values[field_name], unknown_stage = None, " ".join(str(unknown).split())
            except CellError as error:
                reasons.append(str(error))
        low, high = values.get("salary_min"), values.get("salary_max")
        if low is not None and high is not None and low > high:
            reasons.append(f"Salary min ({low}) is more than Salary max ({high}).")
        return RowProblem(number, reasons) if reasons else ImportRow(number, values, unknown_stage)


def check_row(
    number: int, cells: list[str], indexes: dict[str, int | None], reading: Reading | None = None
) -> ImportRow | RowProblem:
    return RowChecker(reading).check(number, cells, indexes)


def column_values(table: Table, mapping: dict[str, str], field_name: str) -> list[str]:
    """Every cell of the column mapped to this field, as written."""
    header = mapping.get(field_name)
    if not header or header not in table.headers:
        return []
    index = table.headers.index(header)
    return [_cell(cells, index) for _, cells in table.rows]


def preview_import(
    table: Table,
    mapping: dict[str, str],
    reading: Reading | None = None,
    *,
    date_reading: dates.DateReading | None = None,
    stage_reading: stages.StageReading | None = None,
) -> ImportPreview:
    """Check every row under this mapping; keep the first rows for showing as they will be imported.

    Unmapped fields are still parsed (from an empty cell), so each row carries
    the same defaults the service would give it. A duplicate is left out when
    the reading says so, and then none of its cells are checked.
    """
    reading = reading or Reading()
    position = {header: index for index, header in enumerate(table.headers) if header}
    indexes = {column.field: position.get(mapping.get(column.field, "")) for column in COLUMNS}
    columns = [column for column in COLUMNS if indexes[column.field] is not None]
    preview = ImportPreview(columns=columns, dates=date_reading, stages=stage_reading)
    checker = RowChecker(reading)
    first_row: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        company, role = _cell(cells, indexes["company_name"]), _cell(cells, indexes["role_title"])
        key = duplicate_key(company, role)
        duplicate = None
        if all(key):
            if key in reading.existing or key in first_row:
                duplicate = Duplicate(number, " ".join(company.split()), role.strip(), first_row.get(key))
                preview.duplicates.append(duplicate)
            first_row.setdefault(key, number)
        if duplicate and reading.skip_duplicates:
            preview.skipped += 1
            if len(preview.sample) < PREVIEW_ROWS:
                preview.sample.append(_as_written(number, cells, indexes, columns, skipped=True))
            continue
        checked = checker.check(number, cells, indexes)
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
    return _as_written(checked.number, cells, indexes, columns)


def _as_written(
    number: int, cells: list[str], indexes: dict[str, int | None], columns: list[Column], *, skipped=False
) -> SampleRow:
    values = [_cell(cells, indexes[column.field]) for column in columns]
    return SampleRow(number, values, needs_fixing=not skipped, skipped=skipped)
