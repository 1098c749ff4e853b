"""The CSV export of applications, and the quoting that keeps spreadsheets from running its cells."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo

from apps.pipeline.csv.columns import COLUMNS
from apps.pipeline.models import Application, ApplicationQuerySet

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
