"""An account import costs a fixed number of queries per batch of rows, not per row.

Two sizes of the same account: the rich account's export (something in every
table) and that export ten times over. BATCH_SIZE is lowered to 4 so that both
files cross batch boundaries in most tables without making thousands of rows;
the arithmetic is the same at the real 500. Times are measured in
bench/imports.py, never here.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.portability import importer, schema
from apps.portability.importer import ImportRefused
from apps.portability.models import ImportedRef
from tests.accounts.factories import UserFactory
from tests.data.builders import build_rich_account
from tests.data.helpers import export_document, import_document, repeated

pytestmark = pytest.mark.django_db

BATCH = 4
TIMES = 10

# A server-side cursor (DECLARE ... FOR SELECT) counts as the SELECT it runs.
STATEMENT = re.compile(r"^\s*(?:DECLARE\s.*?\sFOR\s+)?(SELECT|INSERT|UPDATE|DELETE)\b", re.S)
TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"(\w+)"')
# The tables the file's rows are written to, and the one the refs are recorded in.
ROW_TABLES = {table.model._meta.db_table for table in schema.TABLES} | {ImportedRef._meta.db_table}

Statements = Counter[tuple[str, str]]


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", BATCH)


@pytest.fixture
def small(owner) -> dict:
    build_rich_account(owner)
    return export_document(owner)


@pytest.fixture
def big(small) -> dict:
    return repeated(small, times=TIMES)


def newcomer() -> User:
    return UserFactory(first_name="", time_zone="UTC")


def rows_in(document: dict) -> int:
    return sum(len(document[table.key]) for table in schema.TABLES)


def statements(captured: CaptureQueriesContext) -> Statements:
    """The queries run, by statement and table: ("INSERT", "pipeline_interview") -> 3.

    Anything else (a savepoint) is counted under its first words.
    """
    found: Statements = Counter()
    for query in captured.captured_queries:
        sql = query["sql"]
        verb, table = STATEMENT.match(sql), TABLE.search(sql)
        found[(verb.group(1), table.group(1)) if verb and table else (sql[:20], "")] += 1
    return found


def row_writes(found: Statements) -> Statements:
    return Counter(
        {(verb, table): n for (verb, table), n in found.items() if verb != "SELECT" and table in ROW_TABLES}
    )


def expected_writes(document: dict) -> Statements:
    """One insert per batch of a table's rows, and one update per batch for each of its auto_now
    fields (saving stamps them with the present; the file's times are put back after). Then the
    refs recorded: one insert per batch of all the rows."""
    expected: Statements = Counter()
    for table in schema.TABLES:
        batches = math.ceil(len(document[table.key]) / BATCH)
        fields = [table.model._meta.get_field(name) for name in table.fields]
        stamps = [
            field
            for field in fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        expected["INSERT", table.model._meta.db_table] = batches
        expected["UPDATE", table.model._meta.db_table] = batches * len(stamps)
    expected["INSERT", ImportedRef._meta.db_table] = math.ceil(rows_in(document) / BATCH)
    return +expected


def test_an_account_import_writes_a_query_per_batch_and_reads_the_same_at_any_size(small, big):
    rest, totals = [], []
    for document in (small, big):
        with CaptureQueriesContext(connection) as captured:
            report = import_document(newcomer(), document)
        assert report.created_total == rows_in(document)
        found = statements(captured)
        assert row_writes(found) == expected_writes(document)
        rest.append(found - row_writes(found))
        totals.append(len(captured))

    assert rows_in(big) == TIMES * rows_in(small)
    # The rest: the checks' reads, the look-ups (LOOKUP_SIZE refs or keys a query;
    # neither file holds that many), the reminder settings, the profile, savepoints.
    assert rest[0] == rest[1]
    extra_batches = sum(expected_writes(big).values()) - sum(expected_writes(small).values())
    assert totals[1] == totals[0] + extra_batches


@pytest.mark.parametrize(
    "left_out",
    [(), ("interview_participants",)],
    ids=["the-whole-file", "without-the-people-met"],
)
def test_a_file_imported_again_costs_the_same_queries_whatever_its_size(small, big, left_out):
    """Every row is found already here, the second time: what the account holds is read once
    per table, not once per row. Without the people met, the prep plans' notes name people
    the account already holds; those are looked up together, not note by note."""
    totals = []
    for document in (small, big):
        user = newcomer()
        import_document(user, document)
        again = {key: [] if key in left_out else value for key, value in document.items()}
        with CaptureQueriesContext(connection) as captured:
            report = import_document(user, again)
        assert report.created_total == 0
        totals.append(len(captured))

    assert totals[0] == totals[1]


def test_a_note_on_someone_already_here_but_met_at_another_interview_is_still_refused(small):
    """The people named in notes are looked up together; each note is still checked on its own."""
    user = newcomer()
    import_document(user, small)
    plan = small["prep_plans"][0]
    elsewhere = next(row for row in small["interview_participants"] if row["interview"] != plan["interview"])
    again = {**small, "interview_participants": []}
    again["prep_plans"] = [{**plan, "panel_notes": {**plan["panel_notes"], elsewhere["ref"]: "Who?"}}]

    with pytest.raises(ImportRefused) as refused:
        import_document(user, again)

    assert refused.value.problems == [
        f'prep_plans, row 1 ({plan["ref"]}): "panel_notes" has a note on {elsewhere["ref"]}, '
        "who is not among the people met at this interview."
    ]
