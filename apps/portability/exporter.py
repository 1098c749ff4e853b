"""Writing an account out: one JSON document streamed piece by piece, or a ZIP of CSV files.

Rows are read with server-side cursors (`.iterator(chunk_size=...)`) and written
as they come, so memory holds one chunk of rows and one piece of output, never
the whole account.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import IO

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Exists, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Substr

from apps.accounts.models import User
from apps.contacts.models import InterviewParticipant
from apps.pipeline.csv_io import escape_cell
from apps.portability import schema
from apps.portability.models import ImportedRef
from apps.reminders import kinds
from apps.reminders.models import ReminderSettings

ROWS_PER_CHUNK = 250
# Bytes gathered before handing a piece to the server: big enough that the
# response is not thousands of tiny writes, small enough to stay flat in memory.
PIECE_SIZE = 64 * 1024

DEDUPE_ABOUT = {"interview": "interview", "application": "application", "reference": "subject"}
# Panel notes are keyed by the id of the person met, as text.
PARTICIPANT_ID = re.compile(r"[0-9]{1,18}")


class AccountRows:
    """The rows of one account, table by table, as the dictionaries the file holds."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.namer = schema.RefNamer(user)
        # Rows that came from an import keep the ref they had in the file, so
        # moving data from account to account never changes its references.
        self.has_imports = ImportedRef.objects.for_user(user).filter(created=True).exists()

    def rows(self, table: schema.Table) -> Iterator[dict[str, object]]:
        for values in self._queryset(table).iterator(chunk_size=ROWS_PER_CHUNK):
            yield self._row(table, values)

    def reminder_settings(self) -> dict[str, object] | None:
        preferences = ReminderSettings.objects.filter(owner=self.user).values(
            *schema.REMINDER_SETTINGS_FIELDS
        )
        found = preferences.first()
        return {name: schema.encode_value(value) for name, value in found.items()} if found else None

    def user_block(self) -> dict[str, object]:
        return {name: getattr(self.user, name) for name in schema.USER_FIELDS}

    # --- Reading -------------------------------------------------------------

    def _queryset(self, table: schema.Table) -> QuerySet:
        rows = table.model.objects.filter(**{table.owner_path: self.user})
        for path in table.also_owned:
            rows = rows.filter(**{path: self.user})
        if any(link.field is None for link in table.links):
            rows = rows.annotate(_subject_id=_subject_id())
        rows = rows.annotate(**{f"_id_{link.name}": self._link_id(link) for link in table.links})
        if self.has_imports:
            rows = rows.annotate(_imported=self._imported_ref(table.key, OuterRef("pk")))
            rows = rows.annotate(
                **{
                    f"_imported_{link.name}": self._imported_ref(link.table, OuterRef(f"_id_{link.name}"))
                    for link in table.links
                }
            )
        columns = ["pk", *(name for name in rows.query.annotations), *table.fields]
        if table.key == "prep_plans":
            columns.append("interview_id")
        return rows.order_by("pk").values(*columns)

    def _link_id(self, link: schema.Link):
        attname = f"{link.field}_id" if link.field else "_subject_id"
        if not link.owner_path:
            return F(attname)
        # An optional link to a row that is not the user's is written as empty:
        # the file never names another person's data.
        target = schema.TABLES_BY_KEY[link.table].model
        owned = Exists(target.objects.filter(**{link.owner_path: self.user}).filter(pk=OuterRef(attname)))
        return Case(When(owned, then=F(attname)), default=Value(None), output_field=BigIntegerField())

    def _imported_ref(self, table_key: str, object_id) -> Subquery:
        found = ImportedRef.objects.filter(
            owner=self.user, table=table_key, created=True, object_id=object_id
        )
        return Subquery(found.order_by("pk").values("ref")[:1])

    # --- Writing -------------------------------------------------------------

    def _ref(self, table: schema.Table, pk: int, imported: str | None) -> str:
        return imported or self.namer.ref(table, pk)

    def _row(self, table: schema.Table, values: dict[str, object]) -> dict[str, object]:
        row: dict[str, object] = {"ref": self._ref(table, values["pk"], values.get("_imported"))}
        for link in table.links:
            target = values[f"_id_{link.name}"]
            row[link.name] = (
                None
                if target is None
                else self._ref(schema.TABLES_BY_KEY[link.table], target, values.get(f"_imported_{link.name}"))
            )
        for name in table.fields:
            row[name] = schema.encode_value(values[name])
        if table.key == "reminders":
            row["dedupe_key"] = dedupe_template(values)
        elif table.key == "prep_plans" and values["panel_notes"]:
            row["panel_notes"] = self._panel_notes(values["interview_id"], values["panel_notes"])
        return row

    def _panel_notes(self, interview_id: int, notes: dict[str, str]) -> dict[str, str]:
        """Notes on the people met, keyed by their refs; notes on people no longer listed are left out."""
        ids = [int(key) for key in notes if PARTICIPANT_ID.fullmatch(key)]
        people = InterviewParticipant.objects.filter(interview_id=interview_id, pk__in=ids).order_by("pk")
        participants = schema.TABLES_BY_KEY["interview_participants"]
        if not self.has_imports:
            return {
                self._ref(participants, pk, None): notes[str(pk)]
                for pk in people.values_list("pk", flat=True)
            }
        people = people.annotate(_imported=self._imported_ref("interview_participants", OuterRef("pk")))
        return {
            self._ref(participants, pk, imported): notes[str(pk)]
            for pk, imported in people.values_list("pk", "_imported")
        }


def _subject_id() -> Case:
    """The id of the reference a reminder is about, read from its subject_key ("reference:<pk>")."""
    prefix = schema.SUBJECT_PREFIX
    return Case(
        When(
            subject_key__regex=rf"^{prefix}[0-9]{{1,18}}$",
            then=Cast(Substr("subject_key", len(prefix) + 1), BigIntegerField()),
        ),
        default=Value(None),
        output_field=BigIntegerField(),
    )


def dedupe_template(values: dict[str, object]) -> str:
    """The reminder's dedupe key with the id of the row it is about replaced by {id}.

    Ids are this site's; the importer puts the new row's id back. A key in any
    other shape is written empty and the importer makes a fresh one.
    """
    key = str(values["dedupe_key"])
    parts = kinds.parse_key(key)
    if parts is None:
        return ""
    about_id = values[f"_id_{DEDUPE_ABOUT[parts.about]}"]
    if about_id is None or str(about_id) != str(parts.about_id):
        return ""
    return kinds.key_template(key)


# --- The JSON document -----------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def json_pieces(*, user: User, now: dt.datetime) -> Iterator[bytes]:
    """The export document, in pieces of about PIECE_SIZE bytes."""
    buffer: list[str] = []
    size = 0
    for text in _json_text(user=user, now=now):
        buffer.append(text)
        size += len(text)
        if size >= PIECE_SIZE:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _json_text(*, user: User, now: dt.datetime) -> Iterator[str]:
    with snapshot():
        account = AccountRows(user)
        yield "{\n"
        yield f'"format": {_json(schema.FORMAT)},\n"version": {schema.VERSION},\n'
        yield f'"exported_at": {_json(schema.encode_value(now))},\n"user": {_json(account.user_block())},\n'
        for table in schema.TABLES:
            yield f"{_json(table.key)}: ["
            for number, row in enumerate(account.rows(table)):
                yield ("\n  " if number == 0 else ",\n  ") + _json(row)
            yield "\n],\n"
        yield f'"reminder_settings": {_json(account.reminder_settings())}\n}}\n'


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Read every table as of one moment, so a row saved mid-export cannot name one left out.

    On PostgreSQL a REPEATABLE READ transaction gives that; inside a transaction
    already open (tests) the caller's own view of the data is used as it is.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


# --- The ZIP of CSV files ----------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return escape_cell(_json(value))
    if isinstance(value, str):
        return escape_cell(value)
    return str(value)


def _write_csv(archive: zipfile.ZipFile, name: str, columns: list[str], rows: Iterator[dict]) -> None:
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[column]) for column in columns])


ZIP_README = """Second Round export, format {format} version {version}, written {exported_at}.

One CSV file per table, with the same columns as the JSON export. Rows name each
other by their "ref" column. Times are UTC (ISO 8601), empty cells are empty
values, lists and notes keyed by person are written as JSON text. A cell that a
spreadsheet would run as a formula starts with an apostrophe.

To move your data to another Second Round account, use the JSON export: the
import reads that file.
"""


def write_zip(out: IO[bytes], *, user: User, now: dt.datetime) -> None:
    """Every table as a CSV file in a ZIP archive written to `out`."""
    with snapshot(), zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        account = AccountRows(user)
        stamp = schema.encode_value(now)
        archive.writestr(
            "README.txt", ZIP_README.format(format=schema.FORMAT, version=schema.VERSION, exported_at=stamp)
        )
        _write_csv(archive, "user.csv", list(schema.USER_FIELDS), iter([account.user_block()]))
        for table in schema.TABLES:
            _write_csv(archive, f"{table.key}.csv", table.columns, account.rows(table))
        preferences = account.reminder_settings()
        _write_csv(
            archive,
            "reminder_settings.csv",
            list(schema.REMINDER_SETTINGS_FIELDS),
            iter([preferences] if preferences else []),
        )
