import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.utils import timezone

from apps.contacts.models import Interaction
from apps.portability import exporter, schema
from apps.reminders.models import Reminder
from tests.contacts.factories import ContactFactory
from tests.data.builders import build_rich_account
from tests.data.helpers import export_document

pytestmark = pytest.mark.django_db

UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")
TIME_COLUMNS = {
    "created_at",
    "updated_at",
    "stage_changed_at",
    "changed_at",
    "starts_at",
    "ends_at",
    "cancelled_at",
    "added_at",
    "happened_at",
    "asked_at",
    "heads_up_at",
    "given_at",
    "thanked_at",
    "finalised_at",
    "practised_at",
    "last_practised_at",
    "due_at",
    "next_try_at",
    "sent_at",
    "closed_at",
}


@pytest.fixture
def account(owner):
    return build_rich_account(owner)


def all_refs(document: dict) -> dict[str, str]:
    return {row["ref"]: table.key for table in schema.TABLES for row in document[table.key]}


def test_the_export_is_one_versioned_document_with_every_table_in_order(account):
    document = export_document(account.user)

    assert list(document) == list(schema.TOP_LEVEL_KEYS)
    assert document["format"] == "second-round-export"
    assert document["version"] == 1
    assert UTC_TIME.match(document["exported_at"])
    assert document["user"] == {
        "email": "owner@example.com",
        "first_name": "Olive",
        "time_zone": "Europe/London",
    }
    assert document["reminder_settings"] == {
        "kinds_off": ["nudge"],
        "thank_you_delay_hours": 3,
        "prep_review_lead_hours": 24,
        "quiet_from": "21:00:00",
        "quiet_until": "08:00:00",
    }
    for table in schema.TABLES:
        assert document[table.key], f"the rich account has no {table.key}"
        assert all(list(row) == table.columns for row in document[table.key]), table.key


def test_every_row_is_named_by_a_ref_and_every_link_names_a_row_of_the_file(account):
    document = export_document(account.user)
    refs = all_refs(document)

    assert len(refs) == sum(len(document[table.key]) for table in schema.TABLES)
    for table in schema.TABLES:
        for row in document[table.key]:
            assert row["ref"].startswith(f"{table.kind}:")
            for link in table.links:
                assert row[link.name] is None or refs[row[link.name]] == link.table, (table.key, link.name)


def test_an_account_keeps_the_same_refs_from_one_export_to_the_next(account):
    first = export_document(account.user)
    build_rich_account(account.user, label="Initech")

    second = export_document(account.user)

    assert set(all_refs(first)) < set(all_refs(second))
    assert second["applications"][: len(first["applications"])] == first["applications"]


def test_times_are_iso_8601_in_utc(account):
    document = export_document(account.user)

    times = [
        row[column]
        for table in schema.TABLES
        for row in document[table.key]
        for column in TIME_COLUMNS & set(row)
        if row[column] is not None
    ]
    assert len(times) > 50
    assert all(UTC_TIME.match(value) for value in times), [
        value for value in times if not UTC_TIME.match(value)
    ]
    interview = next(row for row in document["interviews"] if row["round_number"] == 2)
    starts_at = account.next_interview.starts_at.astimezone(dt.UTC)
    assert interview["starts_at"] == starts_at.isoformat().replace("+00:00", "Z")


def test_reminders_name_what_they_are_about_by_ref_never_by_database_id(account):
    document = export_document(account.user)
    refs = all_refs(document)

    keys = [row["dedupe_key"] for row in document["reminders"]]
    assert "thank_you:interview:{id}" in keys
    assert any(key.startswith("follow_up:application:{id}:asked:") for key in keys)
    assert not any(re.search(r":\d+(:|$)", key) for key in keys)
    thanks = next(row for row in document["reminders"] if row["kind"] == "reference_thanks")
    assert refs[thanks["subject"]] == "references"


def test_notes_on_the_people_met_are_keyed_by_their_refs(account):
    document = export_document(account.user)
    people = {row["ref"]: row for row in document["interview_participants"]}

    (plan,) = document["prep_plans"]

    assert sorted(plan["panel_notes"].values()) == ["Ask about the roadmap", "Numbers"]
    assert all(people[ref]["interview"] == plan["interview"] for ref in plan["panel_notes"])


def test_another_persons_data_never_appears_in_my_export(account, stranger):
    build_rich_account(stranger, label="Globex")

    raw = b"".join(exporter.json_pieces(user=account.user, now=timezone.now())).decode()

    assert "Globex" not in raw
    assert "stranger@example.com" not in raw
    mine = export_document(account.user)
    assert len(mine["applications"]) == 3
    assert len(mine["reminders"]) == Reminder.objects.for_user(account.user).count()


def test_a_link_to_someone_elses_contact_is_written_empty(account, stranger):
    # Services never make such a link; the export still must not name their row.
    theirs = ContactFactory(owner=stranger, name="Globex Gatekeeper")
    Interaction.objects.create(owner=account.user, contact=theirs, summary="A call I logged oddly")

    document = export_document(account.user)

    (odd,) = [row for row in document["interactions"] if row["summary"] == "A call I logged oddly"]
    assert odd["contact"] is None
    assert "Globex" not in str(document)


def test_the_zip_holds_one_csv_per_table_with_the_json_columns(account):
    document = export_document(account.user)
    buffer = io.BytesIO()

    exporter.write_zip(buffer, user=account.user, now=timezone.now())

    with zipfile.ZipFile(buffer) as archive:
        names = set(archive.namelist())
        assert names == {"README.txt", "user.csv", "reminder_settings.csv"} | {
            f"{table.key}.csv" for table in schema.TABLES
        }
        for table in schema.TABLES:
            text = archive.read(f"{table.key}.csv").decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            assert list(rows[0]) == table.columns
            assert [row["ref"] for row in rows] == [row["ref"] for row in document[table.key]]
        applications = list(csv.DictReader(io.StringIO(archive.read("applications.csv").decode("utf-8-sig"))))
    # A note a spreadsheet would run as a formula is written as text.
    assert "'=SUM(A1:A3)" in [row["notes"] for row in applications]
    assert {row["archived"] for row in applications} == {"true", "false"}


def test_the_readme_documents_every_table_and_column():
    readme = (settings.BASE_DIR / "README.md").read_text()
    section = readme.split("## Your data: the export format", 1)[1]

    for table in schema.TABLES:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{table.key}` |"))
        assert all(f"`{column}`" in row for column in table.columns[1:]), table.key
