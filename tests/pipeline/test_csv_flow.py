"""An import from confirmation to undo: duplicates left out, the task's failures, undoing it as a whole."""

import csv
import datetime as dt
import io
import math
import threading

import hypothesis
import pytest
import time_machine
from django.db import connection
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import strategies as st

from apps.contacts.models import Contact, ContactKind
from apps.pipeline import csv_io
from apps.pipeline.csv import importing
from apps.pipeline.models import Application, ApplicationImport, Company, Interview, StageChange
from apps.pipeline.services import application_move_stage
from apps.reminders.models import Kind, Reminder
from tests.helpers import assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory
from tests.pipeline.test_csv import latest_import, offers_to_import, page_text, review_url, run_import, upload

pytestmark = pytest.mark.django_db

Status = ApplicationImport.Status
LATER = (timezone.now() + dt.timedelta(days=30)).date().isoformat()


def confirm(client, application_import: ApplicationImport):
    response = client.post(review_url(application_import), {"action": "import"})
    assert response.status_code == 302, page_text(response)
    return response


def imported_file(client, user, content: bytes) -> ApplicationImport:
    """Upload, confirm and run the import; the import, finished."""
    upload(client, content)
    application_import = latest_import(user)
    confirm(client, application_import)
    run_import(application_import)
    application_import.refresh_from_db()
    assert application_import.status == Status.DONE, application_import.failure
    return application_import


# --- Duplicates -----------------------------------------------------------------------------------


def test_rows_i_already_have_or_that_repeat_are_listed_and_left_out(visitors):
    owner = visitors.owner_user
    ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name="Acme Ltd"), role_title="Engineer"
    )
    content = (
        b"Company,Role\n"
        b"  acme   LTD ,ENGINEER\n"  # one I have, written differently
        b"Beta,Designer\n"
        b"beta,designer \n"  # the row above, again
        b"Acme Ltd,Staff Engineer\n"  # same company, another role: new
    )
    upload(visitors.owner, content)
    application_import = latest_import(owner)

    review = visitors.owner.get(review_url(application_import))
    confirm(visitors.owner, application_import)
    run_import(application_import)
    done = page_text(visitors.owner.get(review_url(application_import)))

    text = page_text(review)
    assert "2 rows are already here" in text
    assert "Row 2: acme LTD — ENGINEER (you already have it)" in text
    assert "Row 4: beta — designer (same as row 3)" in text
    assert "We'll leave them out." in text
    assert "2 new applications ready, leaving out 2 you already have." in text
    assert offers_to_import(review)
    assert sorted(Application.objects.for_user(owner).values_list("role_title", flat=True)) == [
        "Designer",
        "Engineer",
        "Staff Engineer",
    ]
    assert "Imported 2 applications." in done
    assert "We left out 2 rows for applications you already had." in done


def test_duplicates_can_be_imported_anyway(visitors):
    owner = visitors.owner_user
    ApplicationFactory(owner=owner, company=CompanyFactory(owner=owner, name="Acme"), role_title="Engineer")
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    application_import = latest_import(owner)
    url = review_url(application_import)

    page = visitors.owner.post(
        url, {"action": "map", "company_name": "Company", "role_title": "Role", "import_duplicates": "on"}
    )
    confirm(visitors.owner, application_import)
    run_import(application_import)

    assert "They will be imported as extra copies." in page_text(page)
    assert Application.objects.for_user(owner).filter(role_title="Engineer").count() == 2


def test_a_file_of_nothing_but_duplicates_offers_no_import(visitors):
    owner = visitors.owner_user
    ApplicationFactory(owner=owner, company=CompanyFactory(owner=owner, name="Acme"), role_title="Engineer")
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    application_import = latest_import(owner)

    review = visitors.owner.get(review_url(application_import))
    refused = visitors.owner.post(review_url(application_import), {"action": "import"})

    assert "nothing new to import" in page_text(review)
    assert not offers_to_import(review)
    assert refused.status_code == 400


def test_another_persons_applications_are_not_duplicates_of_mine(visitors):
    stranger = visitors.stranger_user
    ApplicationFactory(
        owner=stranger, company=CompanyFactory(owner=stranger, name="Acme"), role_title="Engineer"
    )

    imported_file(visitors.owner, visitors.owner_user, b"Company,Role\nAcme,Engineer\n")

    assert Application.objects.for_user(visitors.owner_user).count() == 1


# --- The task -------------------------------------------------------------------------------------


def test_a_failed_import_leaves_nothing_behind_says_why_and_can_be_tried_again(visitors, monkeypatch):
    upload(visitors.owner, f"Company,Role,Decision by\nAcme,Engineer,{LATER}\nBeta,Designer,\n".encode())
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)
    confirm(visitors.owner, application_import)

    def broken(planned):
        list(planned)
        raise RuntimeError("the database went away")  # after the applications were written

    # A fault injected after the companies and applications are written: the task must roll back.
    monkeypatch.setattr(importing.reminders, "schedule_many", broken)
    with pytest.raises(RuntimeError):
        run_import(application_import)
    failed = visitors.owner.get(url)
    last_poll = visitors.owner.get(url, headers={"HX-Request": "true"})
    monkeypatch.undo()
    confirm(visitors.owner, application_import)
    run_import(application_import)

    assert "The import didn't go through. " + importing.OUR_FAULT in page_text(failed)
    assert offers_to_import(failed)
    assert last_poll["HX-Refresh"] == "true"  # the polling page reloads into the review
    assert Application.objects.for_user(visitors.owner_user).count() == 2
    assert Company.objects.for_user(visitors.owner_user).count() == 2
    assert Reminder.objects.filter(owner=visitors.owner_user, kind=Kind.FOLLOW_UP).count() == 1
    application_import.refresh_from_db()
    assert (application_import.status, application_import.failure) == (Status.DONE, "")


def test_nothing_is_written_while_the_failed_try_ran(visitors, monkeypatch):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    application_import = latest_import(visitors.owner_user)
    confirm(visitors.owner, application_import)
    monkeypatch.setattr(importing.reminders, "settings_for", lambda owner: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        run_import(application_import)

    assert not Application.objects.exists()
    assert not Company.objects.exists()
    assert not StageChange.objects.exists()
    application_import.refresh_from_db()
    assert (application_import.status, application_import.imported_at) == (Status.FAILED, None)


def test_the_task_refuses_an_import_whose_stages_are_no_longer_known(visitors):
    upload(visitors.owner, b"Company,Role,Stage\nAcme,Engineer,Coffee chat\n")
    application_import = latest_import(visitors.owner_user)
    application_import.stage_choices = {"coffeechat": "screening"}
    application_import.save()
    confirm(visitors.owner, application_import)
    ApplicationImport.objects.filter(pk=application_import.pk).update(stage_choices={})

    run_import(application_import)

    application_import.refresh_from_db()
    assert application_import.status == Status.FAILED
    assert "have no stage of ours chosen yet" in application_import.failure
    assert not Application.objects.exists()


def test_the_choices_cannot_change_while_the_import_runs(visitors):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    application_import = latest_import(visitors.owner_user)
    confirm(visitors.owner, application_import)

    response = visitors.owner.post(
        review_url(application_import), {"action": "map", "company_name": "Role", "role_title": "Company"}
    )

    assert response.status_code == 302
    application_import.refresh_from_db()
    assert application_import.mapping == {"company_name": "Company", "role_title": "Role"}


def test_an_import_no_worker_took_can_be_started_again(visitors):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)
    confirm(visitors.owner, application_import)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=20)):
        stalled = visitors.owner.get(url)
        confirm(visitors.owner, application_import)
    run_import(application_import)

    assert "The last try at importing this file never finished" in page_text(stalled)
    assert offers_to_import(stalled)
    assert Application.objects.for_user(visitors.owner_user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_from_outside_while_the_import_is_still_invisible(owner):
    rows = "".join(f"Company {n},Role {n}\n" for n in range(2_500))
    table = csv_io.read_table("Company,Role\n" + rows)
    application_import = csv_io.application_import_start(owner=owner, file_name="a.csv", text="", table=table)
    preview = csv_io.preview_import(table, application_import.mapping)
    outside = connection.copy()
    seen: list[tuple[int, int]] = []
    progress = importing.ImportProgress(application_import.pk)

    def report(done: int) -> None:
        progress(done)
        with outside.cursor() as cursor:
            cursor.execute(
                "SELECT rows_done FROM pipeline_applicationimport WHERE id = %s", [application_import.pk]
            )
            rows_done = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM pipeline_application WHERE owner_id = %s", [owner.pk])
            seen.append((rows_done, cursor.fetchone()[0]))

    try:
        csv_io.application_import_perform(
            application_import=application_import, rows=preview.rows, progress=report
        )
    finally:
        progress.close()
        outside.close()

    assert seen == [(1000, 0), (2000, 0), (2500, 0)]
    assert Application.objects.for_user(owner).count() == 2_500


# --- Undo -----------------------------------------------------------------------------------------


def three_made_by_an_import(visitors) -> ApplicationImport:
    owner = visitors.owner_user
    ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name="Acme"), role_title="Mine already"
    )
    content = f"Company,Role,Decision by\nAcme,Engineer,{LATER}\nBeta,Designer,{LATER}\nGamma,Analyst,\n"
    return imported_file(visitors.owner, owner, content.encode())


def test_undo_removes_exactly_what_the_import_made(visitors):
    owner = visitors.owner_user
    application_import = three_made_by_an_import(visitors)
    other = imported_file(visitors.owner, owner, b"Company,Role\nDelta,Writer\n")
    ApplicationFactory(owner=visitors.stranger_user, role_title="Someone else's")
    assert Reminder.objects.filter(owner=owner, kind=Kind.FOLLOW_UP).count() == 2

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        report = csv_io.application_import_undo(application_import=application_import)

    assert (report.removed, report.kept) == (3, [])
    assert sorted(Application.objects.for_user(owner).values_list("role_title", flat=True)) == [
        "Mine already",
        "Writer",
    ]
    assert Application.objects.for_user(visitors.stranger_user).count() == 1
    assert sorted(StageChange.objects.for_user(owner).values_list("application__role_title", flat=True)) == [
        "Mine already",
        "Writer",
    ]
    assert not Reminder.objects.filter(owner=owner).exists()
    # The companies it made went with it; Acme was mine before, Delta came with the other import.
    assert sorted(Company.objects.for_user(owner).values_list("name", flat=True)) == ["Acme", "Delta"]
    application_import.refresh_from_db()
    assert (application_import.status, application_import.undone_count) == (Status.UNDONE, 3)
    other.refresh_from_db()
    assert other.status == Status.DONE


@pytest.mark.parametrize("change", ["edited", "moved", "interview", "contact", "archived"])
def test_undo_is_refused_when_an_application_was_changed_since_and_nothing_goes(visitors, change):
    owner = visitors.owner_user
    application_import = three_made_by_an_import(visitors)
    beta = Application.objects.get(company__name="Beta")

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        if change == "edited":
            beta.notes = "Spoke to the hiring manager"
            beta.save()
        elif change == "moved":
            application_move_stage(application=beta, to_stage="screening")
        elif change == "interview":
            now = timezone.now()
            Interview.objects.create(application=beta, starts_at=now, ends_at=now + dt.timedelta(hours=1))
        elif change == "contact":
            contact = Contact.objects.create(owner=owner, name="Priya")
            beta.contact_links.create(contact=contact, role=ContactKind.values[0])
        else:
            beta.archived = True
            beta.save()
    later = time_machine.travel(timezone.now() + dt.timedelta(hours=2))
    with later, pytest.raises(csv_io.UndoRefused) as refused:
        csv_io.application_import_undo(application_import=application_import)

    assert [a.company.name for a in refused.value.changed] == ["Beta"]
    assert "you've changed 1 application from this import since" in str(refused.value)
    assert Application.objects.for_user(owner).count() == 4
    application_import.refresh_from_db()
    assert application_import.status == Status.DONE


def test_undo_can_keep_the_changed_ones_and_remove_the_rest(visitors):
    owner = visitors.owner_user
    application_import = three_made_by_an_import(visitors)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        Application.objects.filter(company__name="Beta").get().save()
        report = csv_io.application_import_undo(application_import=application_import, keep_changed=True)

    assert report.removed == 2
    assert [a.company.name for a in report.kept] == ["Beta"]
    assert sorted(Application.objects.for_user(owner).values_list("role_title", flat=True)) == [
        "Designer",
        "Mine already",
    ]
    assert sorted(Company.objects.for_user(owner).values_list("name", flat=True)) == ["Acme", "Beta"]


def test_undo_happens_once_and_only_for_a_finished_import(visitors):
    application_import = three_made_by_an_import(visitors)
    csv_io.application_import_undo(application_import=application_import)
    upload(visitors.owner, b"Company,Role\nDelta,Writer\n")
    unfinished = latest_import(visitors.owner_user)

    with pytest.raises(csv_io.UndoRefused, match="already been undone"):
        csv_io.application_import_undo(application_import=application_import)
    with pytest.raises(csv_io.UndoRefused, match="hasn't finished"):
        csv_io.application_import_undo(application_import=unfinished)
    assert Application.objects.for_user(visitors.owner_user).count() == 1


def test_the_undo_button_removes_the_import_and_says_so(visitors):
    application_import = three_made_by_an_import(visitors)
    url = review_url(application_import)

    done = visitors.owner.get(url)
    response = visitors.owner.post(url, {"action": "undo"}, follow=True)
    again = visitors.owner.post(url, {"action": "undo"}, follow=True)

    assert "Imported 3 applications." in page_text(done)
    assert "Undo this import" in page_text(done)
    assert "This import was undone." in page_text(response)
    assert "we removed the 3 applications it had added, with their history and reminders." in page_text(
        response
    )
    assert 'value="undo"' not in response.content.decode()
    assert "This import has already been undone." in page_text(again)
    assert Application.objects.for_user(visitors.owner_user).count() == 1


def test_the_undo_page_names_the_changed_applications_and_offers_to_keep_them(visitors):
    application_import = three_made_by_an_import(visitors)
    url = review_url(application_import)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        Application.objects.filter(company__name="Gamma").get().save()
        refused = visitors.owner.post(url, {"action": "undo"})
        kept = visitors.owner.post(url, {"action": "undo_keep_changed"}, follow=True)

    assert refused.status_code == 409
    text = page_text(refused)
    assert "Nothing was undone: you've changed 1 application from this import since." in text
    assert "Gamma — Analyst" in text
    assert "Undo the rest, keep this one" in text
    assert "we removed the 2 applications it had added" in page_text(kept)
    assert "We kept the one you had changed since: Gamma — Analyst" in page_text(kept)
    assert sorted(Application.objects.for_user(visitors.owner_user).values_list("role_title", flat=True)) == [
        "Analyst",
        "Mine already",
    ]


def test_only_the_owner_can_undo_an_import(visitors):
    application_import = three_made_by_an_import(visitors)
    url = review_url(application_import)

    assert visitors.stranger.post(url, {"action": "undo"}).status_code == 404
    assert_redirects_to_login(visitors.anonymous.post(url, {"action": "undo"}))
    assert Application.objects.for_user(visitors.owner_user).count() == 4


def test_undo_costs_the_same_queries_for_three_applications_as_for_three_hundred(visitors):
    small = three_made_by_an_import(visitors)
    rows = "".join(f"Company {n},Role {n},{LATER}\n" for n in range(300))
    large = imported_file(visitors.owner, visitors.owner_user, f"Company,Role,Decision by\n{rows}".encode())
    counts = []
    for application_import in (small, large):
        with CaptureQueriesContext(connection) as captured:
            csv_io.application_import_undo(application_import=application_import)
        counts.append(len(captured))

    # Django deletes the rows themselves GET_ITERATOR_CHUNK_SIZE (100) at a time: the applications
    # and the companies made with them; all else is one query whatever the size.
    assert counts[1] == counts[0] + 2 * (math.ceil(300 / GET_ITERATOR_CHUNK_SIZE) - 1)


# --- Any cells --------------------------------------------------------------------------------------

CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["03/04/2025", "31/12/9999", "2025-02-30", "=1+1", "Ghosted", "I Withdrew", "", " "]),
)


@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=4))
def test_any_cells_get_a_page_and_an_import_that_finishes_or_says_why(visitors, rows):
    """The fuzz suite stops where the task starts: this follows a file of any cells to the end."""
    out = io.StringIO()
    csv.writer(out).writerows([["Company", "Role", "Stage", "Applied on", "Notes"], *rows])
    response = upload(visitors.owner, out.getvalue().encode())
    if response.status_code != 302:
        assert response.status_code == 400
        return
    application_import = latest_import(visitors.owner_user)
    review = visitors.owner.get(review_url(application_import))
    assert review.status_code == 200
    if not offers_to_import(review):
        return
    confirm(visitors.owner, application_import)
    run_import(application_import)
    application_import.refresh_from_db()
    assert application_import.status in {Status.DONE, Status.FAILED}
    assert visitors.owner.get(review_url(application_import)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_same_rows_imported_twice_at_once_come_in_once(owner):
    content = "Company,Role\n" + "".join(f"Company {n},Role {n}\n" for n in range(1_500))
    imports = []
    for _ in range(2):
        table = csv_io.read_table(content)
        application_import = csv_io.application_import_start(
            owner=owner, file_name="a.csv", text=content, table=table
        )
        ApplicationImport.objects.filter(pk=application_import.pk).update(status=Status.QUEUED)
        imports.append(application_import)
    both_ready = threading.Barrier(2)

    def run(application_import: ApplicationImport) -> None:
        try:
            both_ready.wait()
            importing.application_import_run(import_id=application_import.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[application_import]) for application_import in imports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Application.objects.for_user(owner).count() == 1_500
    outcomes = sorted(ApplicationImport.objects.values_list("status", "failure"))
    assert outcomes == [
        (Status.DONE, ""),
        (Status.FAILED, "Every row of this file is one you already have, so there was nothing to import."),
    ]
