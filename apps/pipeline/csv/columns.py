"""Our columns, in the job seeker's words, and matching a file's headers to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str  # our name for it: the key of ApplicationImport.mapping
    header: str  # the header we write, in the job seeker's words
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> list[str]:
        """Headers that mean this column, best first, in matching form."""
        return [header_key(name) for name in (self.header, self.field, *self.synonyms)]


# The order is the export's column order; keep it stable, people build spreadsheets on it.
# The synonyms include the headers other trackers export (Huntr, Teal, Simplify).
COLUMNS: tuple[Column, ...] = (
    Column("company_name", "Company", ("company name", "employer", "organization"), required=True),
    Column(
        "role_title", "Role", ("role title", "title", "job title", "position", "job position"), required=True
    ),
    Column("stage", "Stage", ("status", "list", "application status", "job status")),
    Column("applied_on", "Applied on", ("date applied", "applied date", "applied", "created at")),
    Column("decision_expected_on", "Decision by", ("decision promised by",)),
    Column("job_url", "Job link", ("url", "link", "job url", "job link url", "posting url")),
    Column("location", "Location", ("city",)),
    Column("work_mode", "Work mode", ("workplace type",)),
    Column("salary_min", "Salary min", ("minimum salary", "min salary")),
    Column("salary_max", "Salary max", ("maximum salary", "max salary")),
    Column("salary_currency", "Currency", ("salary currency",)),
    Column("source", "Source"),
    Column("excitement", "Excitement", ("rating",)),
    Column("next_step", "Next step"),
    Column("notes", "Notes", ("description", "note")),
    Column("archived", "Archived"),
)


def header_key(header: str) -> str:
    return " ".join(header.replace("_", " ").split()).casefold()


def auto_mapping(headers: list[str]) -> dict[str, str]:
    """Our field -> the file's header, for headers that plainly name one of our columns."""
    by_key: dict[str, str] = {}
    for header in headers:
        if header:
            by_key.setdefault(header_key(header), header)
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        match = next((by_key[name] for name in column.names() if name in by_key), None)
        if match is not None and match not in mapping.values():
            mapping[column.field] = match
    return mapping


def missing_required(mapping: dict[str, str]) -> list[Column]:
    return [column for column in COLUMNS if column.required and not mapping.get(column.field)]
