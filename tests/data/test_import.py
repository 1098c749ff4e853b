import copy
import datetime as dt
import json
import threading

import pytest
from django.core import mail
from django.db import connection
from django.db.models import CheckConstraint
from django.utils import timezone

from apps.contacts.models import InterviewParticipant
from apps.pipeline.models import Application, Company, Interview
from apps.portability import schema, services
from apps.portability.importer import ROW_CONSTRAINTS, ImportRefused
from apps.portability.models import ImportedRef
from apps.prep.models import PrepPlan
from apps.reminders.dispatch import dispatch_due
from apps.reminders.models import Reminder, Status
from tests.accounts.factories import UserFactory
from tests.data.builders import build_rich_account
from tests.data.helpers import export_document, import_document, row_counts, without_stamps
from tests.helpers import confirm_email
from tests.pipeline.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(owner):
    return build_rich_account(owner)


@pytest.fixture
def document(account) -> dict:
    return export_document(account.user)


@pytest.fixture
def newcomer():
    return UserFactory(email="newcomer@example.com", first_name="", time_zone="UTC")


def test_an_account_moved_to_a_new_one_exports_the_same_document(document, newcomer):
    import_document(newcomer, document)

    moved = export_document(newcomer)

    # Imported rows keep the refs they had, so apart from when and for whom the
    # two documents are the same, down to every link and time.
    assert without_stamps(moved) == without_stamps(document)


def test_the_report_counts_what_was_created(document, newcomer):
    report = import_document(newcomer, document)

    assert report.created["applications"] == 3
    assert report.created["interviews"] == 3
    assert report.created["reflections"] == 1
    assert report.created["lessons"] == 3
    assert report.created_lines[:3] == [
        "2 companies",
        "3 applications",
        "8 steps of application history",
    ]  # one move is a booked interview
    assert report.reminder_settings_created
    assert report.profile_filled == ["first_name", "time_zone"]
    newcomer.refresh_from_db()
    assert (newcomer.first_name, newcomer.time_zone) == ("Olive", "Europe/London")


def test_importing_the_same_file_twice_creates_nothing_the_second_time(document, newcomer):
    import_document(newcomer, document)
    before = row_counts()

    again = import_document(newcomer, document)

    assert again.created_total == 0
    assert sum(again.already_here.values()) == sum(len(document[key]) for key in again.already_here)
    assert row_counts() == before


def test_importing_my_own_export_into_my_account_changes_nothing(account, document):
    before = row_counts()

    report = import_document(account.user, document)

    assert report.created_total == 0
    assert row_counts() == before


def test_data_moved_to_another_account_and_back_is_not_doubled(account, document, newcomer):
    import_document(newcomer, document)
    before = row_counts()

    report = import_document(account.user, export_document(newcomer))

    assert report.created_total == 0
    assert row_counts() == before


def test_a_row_deleted_after_an_import_comes_back_with_the_next_import(document, newcomer):
    import_document(newcomer, document)
    Application.objects.for_user(newcomer).get(role_title="Platform Engineer").delete()

    report = import_document(newcomer, document)

    assert report.created["applications"] == 1
    assert Application.objects.for_user(newcomer).filter(role_title="Platform Engineer").count() == 1
    # The same rows as before, under the same refs; only their order (by new id) moved.
    assert by_ref(export_document(newcomer)) == by_ref(document)


def by_ref(document: dict) -> dict:
    return {
        key: sorted(value, key=lambda row: row["ref"]) if isinstance(value, list) else value
        for key, value in without_stamps(document).items()
    }


def test_a_company_i_already_have_is_used_instead_of_a_second_one(document, newcomer):
    mine = CompanyFactory(owner=newcomer, name="ACME ANALYTICS")

    report = import_document(newcomer, document)

    assert report.already_here["companies"] == 1
    assert Company.objects.for_user(newcomer).count() == 2
    assert Application.objects.for_user(newcomer).filter(company=mine).count() == 2


def test_a_link_already_here_under_another_ref_is_matched_not_doubled(document, newcomer):
    import_document(newcomer, document)
    for number, row in enumerate(document["application_contacts"] + document["reflections"]):
        row["ref"] = row["ref"].split(":")[0] + f":from-elsewhere-{number}"

    report = import_document(newcomer, document)

    assert report.created_total == 0
    assert report.already_here["application_contacts"] == 3
    assert report.already_here["reflections"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_file_sent_twice_at_once_is_imported_once():
    source = UserFactory(email="source@example.com")
    build_rich_account(source)
    raw = json.dumps(export_document(source)).encode()
    target = UserFactory(email="target@example.com")
    both_ready = threading.Barrier(2)
    created: list[int] = []

    def send() -> None:
        try:
            both_ready.wait()
            created.append(services.account_import(user=target, raw=raw).created_total)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(created)[0] == 0
    assert sorted(created)[1] > 0
    assert Application.objects.for_user(target).count() == 3


def test_links_are_rebuilt_with_the_new_ids(account, document, newcomer):
    import_document(newcomer, document)

    upcoming = Interview.objects.for_user(newcomer).get(round_number=2)
    plan = PrepPlan.objects.get(interview=upcoming)
    people = set(InterviewParticipant.objects.filter(interview=upcoming).values_list("pk", flat=True))
    assert {int(key) for key in plan.panel_notes} == people
    reminder_keys = set(Reminder.objects.for_user(newcomer).values_list("dedupe_key", flat=True))
    assert f"thank_you:interview:{upcoming.pk}" in reminder_keys
    assert not reminder_keys & set(
        Reminder.objects.for_user(account.user).values_list("dedupe_key", flat=True)
    )
    thanks = Reminder.objects.for_user(newcomer).get(kind="reference_thanks")
    assert thanks.subject_key == f"reference:{upcoming.application.references.get().pk}"


def test_reminders_closed_stay_as_history_and_waiting_ones_keep_their_time(account, document, newcomer):
    import_document(newcomer, document)

    def statuses(user) -> list[tuple[str, str, dt.datetime]]:
        return sorted(Reminder.objects.for_user(user).values_list("kind", "status", "due_at"))

    assert statuses(newcomer) == statuses(account.user)
    assert Reminder.objects.for_user(newcomer).filter(status=Status.DONE).exists()


def test_reminders_that_fell_due_before_the_import_are_dismissed_and_never_emailed(document, newcomer):
    waiting = next(row for row in document["reminders"] if row["status"] == "pending")
    past = (timezone.now() - dt.timedelta(days=30)).isoformat()
    for status in ("pending", "snoozed", "sending"):
        stale = copy.deepcopy(waiting)
        stale.update(
            ref=f"reminder:old-{status}", status=status, due_at=past, next_try_at=past, dedupe_key=""
        )
        document["reminders"].append(stale)
    confirm_email(newcomer)

    report = import_document(newcomer, document)
    dispatch_due(now=timezone.now())

    assert report.reminders_dismissed == 3
    old = Reminder.objects.for_user(newcomer).filter(due_at__lt=timezone.now() - dt.timedelta(days=29))
    assert set(old.values_list("status", flat=True)) == {Status.DISMISSED}
    assert all(reminder.dedupe_key.startswith(f"{reminder.kind}:imported:") for reminder in old)
    assert mail.outbox == []


def test_an_import_records_each_ref_once_per_account(document, newcomer, stranger):
    import_document(newcomer, document)
    import_document(stranger, document)

    rows = sum(len(document[key]) for key in document if isinstance(document[key], list))
    assert ImportedRef.objects.for_user(newcomer).count() == rows
    assert ImportedRef.objects.for_user(stranger).count() == rows


# --- Files that are refused ------------------------------------------------------------


def refused(user, raw: bytes) -> list[str]:
    before = row_counts()
    with pytest.raises(ImportRefused) as caught:
        services.account_import(user=user, raw=raw)
    assert row_counts() == before, "a refused file changed the database"
    return caught.value.problems


def tampered(document: dict, change) -> bytes:
    copied = copy.deepcopy(document)
    change(copied)
    return json.dumps(copied).encode()


def test_a_file_that_is_not_json_is_refused(newcomer):
    assert refused(newcomer, b"Company,Role\nAcme,Engineer\n") == [
        "The file is not valid JSON: Expecting value (line 1, column 1)."
    ]


def test_a_file_that_is_not_utf8_is_refused(document, newcomer):
    raw = json.dumps(document, ensure_ascii=False).encode("utf-16")

    (problem,) = refused(newcomer, raw)

    assert problem.startswith("The file is not UTF-8 text")


def test_a_file_from_a_newer_version_is_refused(document, newcomer):
    (problem,) = refused(newcomer, tampered(document, lambda d: d.update(version=2)))

    assert (
        problem
        == "This export is in version 2 of the format; this site reads version 1. Nothing was imported."
    )


def test_json_that_is_not_our_export_is_refused(newcomer):
    (problem,) = refused(newcomer, b'{"applications": []}')

    assert 'should start with "format": "second-round-export"' in problem


def test_a_reference_to_a_row_that_is_not_there_is_refused(document, newcomer):
    def break_link(d: dict) -> None:
        d["interviews"][0]["application"] = "application:00000000-0000-0000-0000-000000000000"

    (problem,) = refused(newcomer, tampered(document, break_link))

    assert problem.startswith(f'interviews, row 1 ({document["interviews"][0]["ref"]}): "application" names')
    assert 'which is not a row of "applications" in this file or in your account' in problem


def test_an_unknown_stage_is_refused(document, newcomer):
    def unknown_stage(d: dict) -> None:
        d["applications"][1]["stage"] = "hired"

    (problem,) = refused(newcomer, tampered(document, unknown_stage))

    assert problem.endswith("\"stage\": Value 'hired' is not a valid choice.")


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        (
            "applications",
            "role_title",
            "x" * 201,
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        ("applications", "salary_min", "ninety", '"salary_min" should be a whole number.'),
        ("applications", "salary_min", 500_000, "The lowest salary must not be more than the highest."),
        ("applications", "archived", "yes", '"archived" should be true or false.'),
        ("applications", "created_at", "last Tuesday", "should be a time such as 2025-03-14T09:30:00Z"),
        ("applications", "created_at", "2025-03-14T09:30:00", "should say its time zone"),
        ("applications", "role_title", None, '"role_title" must not be empty (null).'),
        ("applications", "notes", "bad\x00byte", '"notes" holds characters that cannot be stored.'),
        ("interviews", "ends_at", "2000-01-01T00:00:00Z", "The interview must end after it starts."),
        ("reflections", "confidence", 9, "Ensure this value is less than or equal to 5."),
        (
            "reflections",
            "good_signs",
            ["free_lunch"],
            '"good_signs" has "free_lunch", not among the good signs',
        ),
        ("stories", "competencies", "leadership", '"competencies" should be a list of keys.'),
        ("prep_plans", "areas", {"salary": {"notes": ""}}, '"areas" has "salary", not among the five areas.'),
        ("reminders", "kind", "birthday", "\"kind\": Value 'birthday' is not a valid choice."),
        ("reminders", "dedupe_key", "thank_you:interview:42", '"dedupe_key" should be empty or look like'),
        ("contacts", "email", "not an address", "Enter a valid email address."),
        ("companies", "ref", "application:123", '"ref" should look like "company:<id>"'),
        ("companies", "founded", 1999, "unknown columns founded."),
    ],
)
def test_a_wrong_value_is_refused_with_where_and_why(document, newcomer, table, column, value, message):
    def change(d: dict) -> None:
        d[table][0][column] = value

    problems = refused(newcomer, tampered(document, change))

    assert any(message in problem for problem in problems), problems
    assert problems[0].startswith(f"{table}, row 1"), problems


def test_a_reminder_without_what_its_kind_is_about_is_refused(document, newcomer):
    """Its email could never be built: a reflection prompt about no interview."""

    def orphan_prompt(d: dict) -> None:
        d["reminders"][0].update(kind="reflection_prompt", interview=None, dedupe_key="")

    problems = refused(newcomer, tampered(document, orphan_prompt))

    assert problems == [
        f'reminders, row 1 ({document["reminders"][0]["ref"]}): a "reflection_prompt" reminder is about '
        'an interview, but "interview" names none.'
    ]
    assert not Reminder.objects.filter(owner=newcomer).exists()


def test_two_rows_with_one_ref_are_refused(document, newcomer):
    def duplicate(d: dict) -> None:
        d["contacts"][1]["ref"] = d["contacts"][0]["ref"]

    problems = refused(newcomer, tampered(document, duplicate))

    assert (
        f"contacts, row 2: the ref {document['contacts'][0]['ref']} is used by another row too." in problems
    )


def test_a_note_on_someone_not_met_at_that_interview_is_refused(document, newcomer):
    def stray_note(d: dict) -> None:
        elsewhere = next(
            row for row in d["interview_participants"] if row["interview"] != d["prep_plans"][0]["interview"]
        )
        d["prep_plans"][0]["panel_notes"][elsewhere["ref"]] = "Who is this?"

    (problem,) = refused(newcomer, tampered(document, stray_note))

    assert "who is not among the people met at this interview" in problem


def test_a_file_full_of_mistakes_stops_the_list_at_a_readable_length(document, newcomer):
    def ruin(d: dict) -> None:
        d["research"] = [
            {**d["research"][0], "ref": f"research:{number}", "topic": 7} for number in range(80)
        ]

    problems = refused(newcomer, tampered(document, ruin))

    assert len(problems) == 51
    assert problems[-1].startswith("Checking stopped after 50 problems")


def test_another_persons_refs_do_not_reach_their_rows(document, account, stranger):
    # The refs in my file mean nothing in the stranger's account: a file naming
    # only my rows, without the rows themselves, cannot be linked to them.
    def only_interviews(d: dict) -> None:
        for key in ("companies", "applications", "stage_changes"):
            d[key] = []

    problems = refused(stranger, tampered(document, only_interviews))

    assert any('"application" names' in problem for problem in problems)
    assert Interview.objects.for_user(stranger).count() == 0


def test_every_check_constraint_of_an_exported_table_is_checked_before_writing():
    checks = {
        constraint.name
        for table in schema.TABLES
        for constraint in table.model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    }

    assert checks == set(ROW_CONSTRAINTS)
