import csv
import datetime as dt
import html
import io
import math
import re
import threading
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline import csv_io, tasks
from apps.pipeline.models import Application, ApplicationImport, Company, Stage, StageChange, WorkMode
from apps.reminders.models import Kind, Reminder
from tests.accounts.factories import UserFactory
from tests.helpers import Visitors, assert_only_owner_can_open, assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("pipeline:export_csv")
UPLOAD_URL = reverse("pipeline:import_upload")
LIST_URL = reverse("pipeline:application_list")
LONDON = zoneinfo.ZoneInfo("Europe/London")
HEADER = (
    "Company,Role,Stage,Applied on,Decision by,Job link,Location,Work mode,Salary min,Salary max,"
    "Currency,Source,Excitement,Next step,Notes,Archived"
)


def review_url(application_import: ApplicationImport) -> str:
    return reverse("pipeline:import_review", args=[application_import.pk])


def upload(client: Client, content: bytes, name: str = "applications.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def latest_import(user: User) -> ApplicationImport:
    return ApplicationImport.objects.for_user(user).latest("pk")


def run_import(application_import: ApplicationImport) -> None:
    """Run the queued import's Celery task here and now, as the worker would (errors raised)."""
    tasks.import_applications.apply(args=[application_import.pk]).get()


def upload_and_import(client: Client, user: User, content: bytes):
    """Upload, confirm, let the task run; the confirmation's response."""
    response = upload(client, content)
    assert response.status_code == 302, page_text(response)
    application_import = latest_import(user)
    response = client.post(review_url(application_import), {"action": "import"})
    run_import(application_import)
    return response


def page_text(response) -> str:
    """The words on the page as a reader sees them: no tags, no entities, single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def offers_to_import(response) -> bool:
    return 'name="action" value="import"' in response.content.decode()


def export_rows(client: Client) -> list[list[str]]:
    body = client.get(EXPORT_URL).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))


def facts(user: User) -> list[tuple]:
    """What a person would compare between two lists of applications."""
    return [
        (
            a.company.name,
            a.role_title,
            a.stage,
            a.created_at.astimezone(LONDON).date(),
            a.decision_expected_on,
            a.job_url,
            a.location,
            a.work_mode,
            a.salary_min,
            a.salary_max,
            a.salary_currency,
            a.source,
            a.excitement,
            a.next_step,
            a.notes,
            a.archived,
        )
        for a in Application.objects.for_user(user).select_related("company").order_by("created_at", "pk")
    ]


# --- Who may open what ----------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in_for_export_and_import(client):
    assert_redirects_to_login(client.get(EXPORT_URL))
    assert_redirects_to_login(client.get(UPLOAD_URL))
    assert_redirects_to_login(upload(client, b"Company,Role\nAcme,Engineer\n"))
    assert not ApplicationImport.objects.exists()


def test_an_import_is_seen_only_by_the_person_who_uploaded_it(visitors: Visitors):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    url = review_url(latest_import(visitors.owner_user))

    assert_only_owner_can_open(visitors, url)
    assert visitors.stranger.post(url, {"action": "import"}).status_code == 404
    assert_redirects_to_login(visitors.anonymous.post(url, {"action": "import"}))
    assert not Application.objects.exists()


# --- Export ---------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC), tick=False)
def test_export_downloads_all_my_applications_archived_included_as_a_dated_file(visitors: Visitors):
    ApplicationFactory(owner=visitors.owner_user, role_title="Open one")
    ApplicationFactory(owner=visitors.owner_user, role_title="Archived one", archived=True)
    ApplicationFactory(owner=visitors.stranger_user, role_title="Someone else's")

    response = visitors.owner.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # 23:30 in UTC is already 2 June in London, where the owner lives.
    assert response["Content-Disposition"] == (
        'attachment; filename="second-round-applications-2025-06-02.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = export_rows(visitors.owner)
    assert ",".join(rows[0]) == HEADER
    assert sorted(row[1] for row in rows[1:]) == ["Archived one", "Open one"]
    assert sorted(row[-1] for row in rows[1:]) == ["no", "yes"]


def test_export_writes_stages_and_work_modes_in_words_and_dates_in_my_time_zone(visitors: Visitors):
    ApplicationFactory(
        owner=visitors.owner_user,
        company=CompanyFactory(owner=visitors.owner_user, name="Acme"),
        stage=Stage.SECOND_INTERVIEW,
        work_mode=WorkMode.HYBRID,
        # Late evening in London in summer is already the next day in UTC.
        stage_changed_at=dt.datetime(2025, 7, 1, 23, 30, tzinfo=LONDON),
        decision_expected_on=dt.date(2025, 7, 20),
        salary_min=50000,
        salary_max=60000,
        salary_currency="GBP",
        excitement=4,
    )

    row = dict(zip(HEADER.split(","), export_rows(visitors.owner)[1], strict=True))

    assert row["Company"] == "Acme"
    assert row["Stage"] == "Second interview"
    assert row["Work mode"] == "Hybrid"
    assert row["Applied on"] == "2025-07-01"
    assert row["Decision by"] == "2025-07-20"
    assert (row["Salary min"], row["Salary max"], row["Currency"], row["Excitement"]) == (
        "50000",
        "60000",
        "GBP",
        "4",
    )


def test_cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text(visitors: Visitors):
    ApplicationFactory(
        owner=visitors.owner_user,
        notes="=cmd|' /C calc'!A0",
        next_step="@SUM(A1:A9)",
        role_title="-Engineer",
        location="+44 London",
    )

    row = dict(zip(HEADER.split(","), export_rows(visitors.owner)[1], strict=True))

    assert row["Notes"] == "'=cmd|' /C calc'!A0"
    assert row["Next step"] == "'@SUM(A1:A9)"
    assert row["Role"] == "'-Engineer"
    assert row["Location"] == "'+44 London"


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+44", "-5", "@x", "\tx", "\rx", "'=1+1", "''=1+1", "'quoted", "plain", "", "'", "a=b"],
)
def test_quoting_formulas_and_unquoting_them_gives_back_the_same_text(value: str):
    escaped = csv_io.escape_cell(value)

    assert escaped[:1] not in csv_io.FORMULA_STARTS
    assert csv_io.unescape_cell(escaped) == value


# --- Round trip -----------------------------------------------------------------------------------


def test_my_export_imported_by_someone_else_gives_them_the_same_applications(visitors: Visitors):
    owner = visitors.owner_user
    acme = CompanyFactory(owner=owner, name="Acme, Ltd")
    ApplicationFactory(
        owner=owner,
        company=acme,
        role_title='Senior "Platform" Engineer',
        stage=Stage.SECOND_INTERVIEW,
        stage_changed_at=dt.datetime(2025, 3, 3, 9, 0, tzinfo=LONDON),
        decision_expected_on=dt.date(2025, 3, 21),
        job_url="https://jobs.example.com/acme/42?ref=board&x=1",
        location="London",
        work_mode=WorkMode.HYBRID,
        salary_min=70000,
        salary_max=85000,
        salary_currency="GBP",
        source="Referral from Priya",
        excitement=5,
        next_step="Send portfolio",
        notes="Line one, with a comma\nLine two: Café, naïve — “quotes”\n\n- a bullet\n=SUM(1)",
    )
    ApplicationFactory(
        owner=owner,
        company=acme,
        role_title="Staff Engineer",
        stage=Stage.REJECTED,
        stage_changed_at=dt.datetime(2025, 2, 10, 16, 0, tzinfo=LONDON),
        archived=True,
    )
    ApplicationFactory(
        owner=owner,
        role_title="Backend developer",
        stage=Stage.INTERESTED,
        stage_changed_at=dt.datetime(2025, 4, 1, 0, 30, tzinfo=LONDON),
        notes="'=already quoted by hand",
    )
    exported = visitors.owner.get(EXPORT_URL).content

    response = upload_and_import(visitors.stranger, visitors.stranger_user, exported)

    assert response.status_code == 302
    assert response["Location"] == review_url(latest_import(visitors.stranger_user))
    assert facts(visitors.stranger_user) == facts(owner)
    assert visitors.stranger.get(EXPORT_URL).content == exported
    assert Company.objects.for_user(visitors.stranger_user).count() == 2


# --- Reading files --------------------------------------------------------------------------------


def test_a_file_that_is_not_text_gets_a_clear_error_and_nothing_is_kept(visitors: Visitors):
    response = upload(visitors.owner, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")

    assert response.status_code == 400
    assert csv_io.NOT_TEXT in page_text(response)
    assert not ApplicationImport.objects.exists()
    assert not Application.objects.exists()


def test_a_file_saved_by_excel_with_a_byte_order_mark_imports(visitors: Visitors):
    content = "\ufeffCompany,Role\nCafé Nero,Barista\n".encode()

    response = upload_and_import(visitors.owner, visitors.owner_user, content)

    assert response.status_code == 302
    application = Application.objects.for_user(visitors.owner_user).get()
    assert (application.company.name, application.role_title) == ("Café Nero", "Barista")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "This file is empty."),
        (b"\n\n", "This file is empty."),
        (b"Company,Role\n", "no applications under them"),
        (b"Company,Role\n,\n , \n", "no applications under them"),
        (b"Company,Role,Company\nAcme,Engineer,Acme\n", "Two columns are both called 'Company'"),
        (b",,\nAcme,Engineer,\n", "The first row of the file should hold the column names"),
        (b"Company,Role\n" + b"Acme,Engineer\n" * 20_001, "we can import up to 20,000 at a time"),
        (b"Company,Role\nAcme,Engineer,\n" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
        (b"Company,Role\n\x00\x01\x02,Engineer\n", "doesn't look like a spreadsheet or CSV file"),
        (b"Company,Role,Notes\nAcme,Engineer,\"" + b"x" * 200_000 + b"\"\n", "could not be read as CSV"),
        (b"PK\x03\x04" + b"\x00" * 40, "This file is a packed workbook, not CSV text."),
    ],
    ids=["empty", "blank lines", "header only", "empty rows only", "repeated header", "no header",
         "too many rows", "too large", "binary", "a huge cell", "a workbook named .csv"],
)  # fmt: skip
def test_files_that_cannot_be_imported_are_refused_on_the_upload_page(visitors, content, message):
    response = upload(visitors.owner, content)

    assert response.status_code == 400
    assert message in page_text(response)
    assert not ApplicationImport.objects.exists()


def test_sending_the_form_without_a_file_asks_for_one(visitors: Visitors):
    response = visitors.owner.post(UPLOAD_URL, {})

    assert response.status_code == 400
    assert "Choose a file to upload." in page_text(response)


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_import_pages_run_no_inline_code(visitors: Visitors):
    upload_page = visitors.owner.get(UPLOAD_URL)
    upload(visitors.owner, b"Company,Role,Applied on\nAcme,Engineer,2025-13-01\nBeta,Designer,\n")
    review_page = visitors.owner.get(review_url(latest_import(visitors.owner_user)))

    assert not INLINE_CODE.search(upload_page.content.decode())
    assert "1 row needs fixing" in page_text(review_page)
    assert not INLINE_CODE.search(review_page.content.decode())


def test_the_upload_page_offers_a_file_field_and_a_download(visitors: Visitors):
    page = visitors.owner.get(UPLOAD_URL).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    assert EXPORT_URL in page


# --- Checking rows --------------------------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_row_number_and_nothing_is_imported(visitors: Visitors):
    content = (
        b"Company,Role,Applied on,Salary min,Salary max\n"
        b"Acme,Engineer,2025-02-03,,\n"
        b"Beta,Designer,next Tuesday,,\n"
        b"Gamma,Analyst,,50000,60000\n"
        b"Delta,Writer,,60000,50000\n"
    )
    upload(visitors.owner, content)
    application_import = latest_import(visitors.owner_user)

    review_page = visitors.owner.get(review_url(application_import))
    review = page_text(review_page)
    response = visitors.owner.post(review_url(application_import), {"action": "import"})

    assert "2 rows need fixing" in review
    assert "Row 3:" in review
    assert "Applied on 'next Tuesday' is not a date we can read." in review
    assert "Row 5:" in review
    assert "Salary min (60000) is more than Salary max (50000)." in review
    assert "Row 2:" not in review
    assert not offers_to_import(review_page)
    assert response.status_code == 400
    assert "Row 3:" in page_text(response)
    assert not Application.objects.exists()
    application_import.refresh_from_db()
    assert application_import.imported_at is None


def test_row_numbers_match_the_spreadsheet_even_with_blank_rows_and_line_breaks_in_cells(visitors):
    content = b'Company,Role,Notes\nAcme,Engineer,"two\nlines"\n\nBeta,,\n'
    upload(visitors.owner, content)

    review = page_text(visitors.owner.get(review_url(latest_import(visitors.owner_user))))

    assert "Row 4: Role is empty; every application needs one." in review


def cells_of(**values: str) -> list[str]:
    """A row in our export's column order; company and role filled in unless given."""
    values = {"company_name": "Acme", "role_title": "Engineer", **values}
    return [values.get(column.field, "") for column in csv_io.COLUMNS]


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"company_name": " "}, "Company is empty; every application needs one."),
        ({"role_title": ""}, "Role is empty; every application needs one."),
        ({"company_name": "A" * 201}, "Company is 201 characters long; the most we keep is 200."),
        ({"applied_on": "2025-02-30"}, "Applied on '2025-02-30' is not a real date."),
        ({"decision_expected_on": "14 March"}, "Decision by '14 March' is not a date we can read."),
        ({"applied_on": "31/31/2025"}, "Applied on '31/31/2025' is not a real date read as day/month/year."),
        ({"job_url": "ftp://example.com/job"}, "is not a web address starting with http:// or https://."),
        (
            {"job_url": "https://x.com/" + "a" * 490},
            "Job link is 504 characters long; the most we keep is 500.",
        ),
        ({"work_mode": "Sometimes"}, "Work mode 'Sometimes' is not one we know. Use one of: On-site,"),
        ({"salary_min": "50k"}, "Salary min '50k' is not a whole number. Write digits only, such as 55000."),
        ({"salary_min": "-5"}, "Salary min '-5' is not a whole number."),
        ({"salary_max": "55000.50"}, "Salary max '55000.50' is not a whole number."),
        ({"salary_max": "99999999999"}, "Salary max '99999999999' is too large."),
        ({"salary_currency": "pounds"}, "Currency 'pounds' is not a three-letter code"),
        ({"source": "x" * 101}, "Source is 101 characters long; the most we keep is 100."),
        ({"excitement": "7"}, "Excitement '7' must be a whole number from 1 to 5."),
        ({"archived": "maybe"}, "Archived 'maybe' must be yes or no, or left empty."),
    ],
)
def test_each_kind_of_bad_value_is_explained(values: dict[str, str], reason: str):
    indexes = {column.field: index for index, column in enumerate(csv_io.COLUMNS)}

    checked = csv_io.check_row(2, cells_of(**values), indexes)

    assert isinstance(checked, csv_io.RowProblem)
    assert any(reason in text for text in checked.reasons), checked.reasons


@pytest.mark.parametrize(
    "written",
    ["second interview", "Second interview", "second_interview", "SECOND-INTERVIEW", " Second  Interview "],
)
def test_a_stage_can_be_written_as_its_name_or_its_key(written: str):
    checked = csv_io.check_row(
        2, ["Acme", "Engineer", written], {"company_name": 0, "role_title": 1, "stage": 2}
    )

    assert checked.values["stage"] == Stage.SECOND_INTERVIEW


def test_values_are_read_the_way_people_write_them(visitors: Visitors):
    content = (
        b"Company,Role,Stage,Applied on,Work mode,Salary min,Salary max,Currency,Excitement,Archived\n"
        b'Acme,Engineer,,2025-03-14,on site,"55,000",60 000,gbp,3,Yes\n'
        b"Beta,Designer,offer,,REMOTE,,,,,\n"
    )

    with time_machine.travel(dt.datetime(2025, 5, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        upload_and_import(visitors.owner, visitors.owner_user, content)

    acme = Application.objects.get(company__name="Acme")
    assert acme.stage == Stage.APPLIED
    # An application date becomes noon that day where the person lives.
    assert acme.created_at == dt.datetime(2025, 3, 14, 12, 0, tzinfo=LONDON)
    assert acme.stage_changed_at == acme.created_at
    assert (acme.work_mode, acme.salary_min, acme.salary_max) == (WorkMode.ON_SITE, 55000, 60000)
    assert (acme.salary_currency, acme.excitement, acme.archived) == ("GBP", 3, True)
    beta = Application.objects.get(company__name="Beta")
    assert (beta.stage, beta.work_mode, beta.archived) == (Stage.OFFER, WorkMode.REMOTE, False)
    assert beta.created_at == dt.datetime(2025, 5, 1, 8, 0, tzinfo=dt.UTC)


def test_each_imported_application_starts_its_history_at_its_stage(visitors: Visitors):
    content = b"Company,Role,Stage,Applied on\nAcme,Engineer,Final round,2025-03-14\n"

    upload_and_import(visitors.owner, visitors.owner_user, content)

    change = StageChange.objects.for_user(visitors.owner_user).get()
    assert (change.from_stage, change.to_stage) == ("", Stage.FINAL_ROUND)
    assert change.changed_at == dt.datetime(2025, 3, 14, 12, 0, tzinfo=LONDON)


def test_companies_are_matched_to_mine_whatever_the_capitals(visitors: Visitors):
    existing = CompanyFactory(owner=visitors.owner_user, name="Acme Ltd")
    CompanyFactory(owner=visitors.stranger_user, name="Beta")
    content = b"Company,Role\nacme ltd,One\nACME  LTD,Two\nBeta,Three\nbeta,Four\n"

    upload_and_import(visitors.owner, visitors.owner_user, content)

    companies = Company.objects.for_user(visitors.owner_user)
    assert sorted(companies.values_list("name", flat=True)) == ["Acme Ltd", "Beta"]
    assert existing.applications.count() == 2
    assert Company.objects.for_user(visitors.stranger_user).get().applications.count() == 0


def test_markup_in_a_file_is_shown_as_text_in_the_preview(visitors: Visitors):
    upload(visitors.owner, b"Company,Role,Notes\n<b>Acme</b>,Engineer,<script>alert(1)</script>\n")

    page = visitors.owner.get(review_url(latest_import(visitors.owner_user))).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Matching columns -----------------------------------------------------------------------------


def test_columns_named_in_other_common_ways_are_matched_without_asking():
    headers = ["company name", "Job Title", "STATUS", "url", "salary_min", "Whatever"]

    assert csv_io.auto_mapping(headers) == {
        "company_name": "company name",
        "role_title": "Job Title",
        "stage": "STATUS",
        "job_url": "url",
        "salary_min": "salary_min",
    }


def test_columns_with_other_names_can_be_matched_by_hand(visitors: Visitors):
    content = b"Employer Name,Job,Where we are,Posting\nAcme,Engineer,Offer,https://acme.example/jobs/1\n"
    upload(visitors.owner, content)
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)

    before = visitors.owner.get(url)
    response = visitors.owner.post(
        url,
        {
            "action": "map",
            "company_name": "Employer Name",
            "role_title": "Job",
            "stage": "Where we are",
            "job_url": "Posting",
        },
    )

    assert "Tell us which of your columns hold the company and the role" in page_text(before)
    assert not offers_to_import(before)
    assert response.status_code == 200
    assert offers_to_import(response)
    application_import.refresh_from_db()
    assert application_import.mapping == {
        "company_name": "Employer Name",
        "role_title": "Job",
        "stage": "Where we are",
        "job_url": "Posting",
    }
    assert visitors.owner.post(url, {"action": "import"})["Location"] == url
    run_import(application_import)
    application = Application.objects.for_user(visitors.owner_user).get()
    assert (application.company.name, application.role_title, application.stage, application.job_url) == (
        "Acme",
        "Engineer",
        Stage.OFFER,
        "https://acme.example/jobs/1",
    )


def test_company_and_role_must_be_matched_to_a_column(visitors: Visitors):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    application_import = latest_import(visitors.owner_user)

    response = visitors.owner.post(review_url(application_import), {"action": "map", "role_title": "Role"})

    assert response.status_code == 400
    assert "Choose the column that holds the company." in page_text(response)
    application_import.refresh_from_db()
    assert application_import.mapping == {"company_name": "Company", "role_title": "Role"}


def test_a_column_that_is_not_in_the_file_cannot_be_chosen(visitors: Visitors):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\n")
    url = review_url(latest_import(visitors.owner_user))

    response = visitors.owner.post(url, {"action": "map", "company_name": "Company", "role_title": "Nope"})

    assert response.status_code == 400


# --- Importing once -------------------------------------------------------------------------------


def test_importing_shows_its_progress_then_how_many_were_added_and_offers_the_undo(visitors: Visitors):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\nBeta,Designer\n")
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)

    response = visitors.owner.post(url, {"action": "import"})
    waiting = visitors.owner.get(url)
    poll = visitors.owner.get(url, headers={"HX-Request": "true"})
    run_import(application_import)
    done = visitors.owner.get(url)
    last_poll = visitors.owner.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert "Importing 2 applications" in page_text(waiting)
    assert "<progress" in waiting.content.decode()
    assert 'http-equiv="refresh"' in waiting.content.decode()  # for a browser without script
    assert 'hx-trigger="every 1s"' in poll.content.decode()
    assert "<html" not in poll.content.decode()
    assert "Imported 2 applications. You imported this file on" in page_text(done)
    assert 'name="action" value="undo"' in done.content.decode()
    assert "Imported 2 applications." in page_text(last_poll)
    assert "hx-trigger" not in last_poll.content.decode()  # polling stops
    application_import.refresh_from_db()
    assert application_import.imported_at is not None
    assert (application_import.status, application_import.imported_count) == ("done", 2)
    assert Application.objects.for_user(visitors.owner_user).count() == 2


def test_confirming_the_same_import_twice_adds_the_applications_once(
    visitors: Visitors, django_capture_on_commit_callbacks
):
    upload(visitors.owner, b"Company,Role\nAcme,Engineer\nBeta,Designer\n")
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)

    with django_capture_on_commit_callbacks() as queued:
        visitors.owner.post(url, {"action": "import"})
        double_click = visitors.owner.post(url, {"action": "import"}, follow=True)
    run_import(application_import)
    run_import(application_import)  # the task's message delivered twice
    again = visitors.owner.post(url, {"action": "import"}, follow=True)

    assert len(queued) == 1
    assert "This file is being imported already, so it wasn't started again." in page_text(double_click)
    assert Application.objects.for_user(visitors.owner_user).count() == 2
    page = page_text(again)
    assert not offers_to_import(again)
    assert "This file has already been imported, so nothing was added this time." in page
    assert "You imported this file on" in page


def checked_upload(owner: User, content: str) -> tuple[ApplicationImport, list[csv_io.ImportRow]]:
    table = csv_io.read_table(content)
    application_import = csv_io.application_import_start(
        owner=owner, file_name="a.csv", text=content, table=table
    )
    return application_import, csv_io.preview_import(table, application_import.mapping).rows


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_sent_at_the_same_moment_import_the_file_once():
    owner = UserFactory()
    application_import, rows = checked_upload(owner, "Company,Role\nAcme,Engineer\nBeta,Designer\n")
    both_ready = threading.Barrier(2)
    outcomes: list[object] = []

    def confirm() -> None:
        try:
            both_ready.wait()
            fresh = ApplicationImport.objects.get(pk=application_import.pk)
            outcomes.append(csv_io.application_import_perform(application_import=fresh, rows=rows))
        except csv_io.AlreadyImported:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [2, "refused"]
    assert Application.objects.for_user(owner).count() == 2
    assert StageChange.objects.for_user(owner).count() == 2


def test_an_import_whose_rows_turn_out_bad_is_not_marked_imported(owner: User):
    application_import, rows = checked_upload(owner, "Company,Role\nAcme,Engineer\n")
    # Only the model's own checks can catch this: the file's parsers never make it.
    rows[0].values["work_mode"] = "by_boat"

    with pytest.raises(csv_io.RowsRefused) as refused:
        csv_io.application_import_perform(application_import=application_import, rows=rows)

    assert refused.value.problems[0].number == 2
    application_import.refresh_from_db()
    assert application_import.imported_at is None
    assert not Application.objects.exists()
    assert not Company.objects.exists()


# --- Size -----------------------------------------------------------------------------------------


def _rows(count: int, *, decision_by: str = "2025-03-01") -> bytes:
    lines = [HEADER]
    for n in range(count):
        lines.append(
            f"Company {n % 300},Engineer {n},Second interview,2025-01-{n % 28 + 1:02d},{decision_by},"
            f"https://jobs.example.com/{n},London,Hybrid,50000,60000,GBP,Board,{n % 5 + 1},Call back,"
            f'"Notes for {n}, with a comma",{"yes" if n % 10 == 0 else "no"}'
        )
    return ("\n".join(lines) + "\n").encode()


def _import_queries(client: Client, user: User, content: bytes) -> int:
    """The queries of confirming the import and of its task."""
    upload(client, content)
    application_import = latest_import(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(review_url(application_import), {"action": "import"})
        run_import(application_import)
    assert response.status_code == 302
    return len(captured)


def test_an_import_costs_the_same_queries_for_ten_rows_as_for_nine_hundred():
    """Bulk all the way, the follow-up reminders for promised decision dates included."""
    few, many = UserFactory(), UserFactory()
    clients = {user: Client() for user in (few, many)}
    for user, client in clients.items():
        client.force_login(user)
    later = (timezone.now() + dt.timedelta(days=30)).date().isoformat()

    with time_machine.travel(timezone.now(), tick=False):
        small = _import_queries(clients[few], few, _rows(10, decision_by=later))
        large = _import_queries(clients[many], many, _rows(900, decision_by=later))

    assert small == large
    # The open ones (nine in ten are not archived) each got their follow-up.
    assert Reminder.objects.filter(owner=many, kind=Kind.FOLLOW_UP).count() == 810


def test_ten_thousand_rows_import_at_a_fixed_cost_per_batch_and_export_again(visitors: Visitors):
    """Beyond the first batch, a batch costs its insert (and a follow-up batch its look-up too),
    never a query a row. The import's time is a figure for bench/imports.py, not an assertion:
    CI machines are shared and busy."""
    later = (timezone.now() + dt.timedelta(days=30)).date().isoformat()
    with time_machine.travel(timezone.now(), tick=False):
        ten = _import_queries(visitors.stranger, visitors.stranger_user, _rows(10, decision_by=later))
        upload(visitors.owner, _rows(10_000, decision_by=later))
        application_import = latest_import(visitors.owner_user)
        url = review_url(application_import)
        assert visitors.owner.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = visitors.owner.post(url, {"action": "import"})
            run_import(application_import)
        # Read now: the next request clears the log the count is taken from.
        ten_thousand = len(captured)
    exported = export_rows(visitors.owner)

    # Batches of csv_io.application_import_perform: 1,000 applications, each batch with an
    # insert of its history lines and, when any of its applications has a follow-up, a look-up
    # and an insert of those (its progress is written on a connection of its own, not counted
    # here). Ten rows fill one batch, as do the 300 companies (1,000 an insert) against ten rows' ten.
    more_batches = (math.ceil(10_000 / 1000) - 1) * (1 + 1 + 2)
    assert ten_thousand == ten + more_batches
    assert Reminder.objects.filter(owner=visitors.owner_user, kind=Kind.FOLLOW_UP).count() == 9_000
    assert len(exported) == 10_001
    assert response.status_code == 302
    assert Application.objects.for_user(visitors.owner_user).count() == 10_000
    assert Application.objects.for_user(visitors.owner_user).filter(archived=True).count() == 1_000
    assert StageChange.objects.for_user(visitors.owner_user).count() == 10_000
    assert Company.objects.for_user(visitors.owner_user).count() == 300
