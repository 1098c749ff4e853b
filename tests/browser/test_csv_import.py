"""Moving a search over from Teal: upload its export, check how it reads, switch the dates, import, undo."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.pipeline.models import Application, Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in, open_menu
from tests.pipeline.factories import ApplicationFactory, CompanyFactory
from tests.pipeline.test_csv_worker import celery_workers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def import_worker(live_server, tmp_path):
    """start(): a real Celery worker on the live server's database and the test broker."""
    with celery_workers(tmp_path) as start:
        yield start


# As Teal's export writes it: its own column names, its stage names, US-style dates
# that happen to read either way round.
TEAL_EXPORT = (
    b"Company,Job Position,Status,Date Applied,Location,URL,Notes\n"
    b"Acme Robotics,Platform Engineer,Interviewing,03/04/2025,Berlin,https://acme.example/1,Referred by Sam\n"
    b"Globex,Site Reliability Engineer,Applied,02/05/2025,Remote,,\n"
    b"Initech,Backend Developer,Bookmarked,,Munich,,Salary band unknown\n"
    b"Umbrella,Data Engineer,Not Selected,01/02/2025,Hamburg,,\n"
    b"Hooli,Staff Engineer,No Response,12/01/2025,,,\n"
    b"Stark Industries,Engineering Manager,I Withdrew,11/03/2025,,,\n"
)


@pytest.mark.parametrize("device", DEVICES)
def test_a_teal_export_is_read_switched_imported_and_undone(live_server, open_page, import_worker, device):
    user = UserFactory(email=f"teal-{device}@example.com", time_zone="Europe/Berlin")
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    if device == "phone":
        open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="Import CSV").click()
    browser_page.screenshot("csv-import-upload")

    page.get_by_label("Your file").set_input_files(
        files=[{"name": "teal-export.csv", "mimeType": "text/csv", "buffer": TEAL_EXPORT}]
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_text("Stage names read as Teal's.")).to_be_visible()
    expect(page.get_by_text("Dates read as day/month/year: 03/04/2025 is 3 April 2025.")).to_be_visible()
    expect(page.get_by_text("so we went by your time zone (Europe/Berlin)")).to_be_visible()
    expect(page.get_by_text("“Not Selected” is Rejected")).to_be_visible()
    assert not browser_page.has_horizontal_scroll()
    browser_page.screenshot("csv-import-review")
    page.get_by_role("heading", name="Stages").scroll_into_view_if_needed()
    browser_page.screenshot("csv-import-stages", full_page=False)

    page.get_by_role("button", name="Read them as month/day/year instead").click()
    expect(page.get_by_text("Dates read as month/day/year: 03/04/2025 is 4 March 2025.")).to_be_visible()
    expect(page.get_by_text("You chose this reading.")).to_be_visible()
    page.get_by_role("button", name="Import 6 applications").click()

    # No worker yet: the page waits, and says so.
    expect(page.get_by_text("Waiting for the importer to pick it up")).to_be_visible()
    browser_page.screenshot("csv-import-waiting", full_page=False)
    import_worker()
    expect(page.get_by_text("Imported 6 applications.")).to_be_visible(timeout=60_000)
    browser_page.screenshot("csv-import-done", full_page=False)

    by_role = {a.role_title: a for a in Application.objects.for_user(user)}
    assert by_role["Platform Engineer"].stage == Stage.FIRST_INTERVIEW
    assert by_role["Platform Engineer"].created_at.astimezone(user.zone).date() == dt.date(2025, 3, 4)
    assert by_role["Staff Engineer"].created_at.astimezone(user.zone).date() == dt.date(2025, 12, 1)
    assert by_role["Engineering Manager"].stage == Stage.WITHDRAWN

    page.get_by_role("button", name="Undo this import").click()
    expect(page.get_by_text("This import was undone.")).to_be_visible()
    expect(page.get_by_text("we removed the 6 applications it had added")).to_be_visible()
    browser_page.screenshot("csv-import-undone", full_page=False)
    assert not Application.objects.for_user(user).exists()
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []


def test_without_javascript_the_import_page_refreshes_itself_until_done(
    live_server, open_page, import_worker
):
    user = UserFactory(email="no-script@example.com", time_zone="America/New_York")
    browser_page = open_page("desktop", java_script_enabled=False)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/import/")
    page.get_by_label("Your file").set_input_files(
        files=[{"name": "teal-export.csv", "mimeType": "text/csv", "buffer": TEAL_EXPORT}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Dates read as month/day/year: 03/04/2025 is 4 March 2025.")).to_be_visible()

    page.get_by_role("button", name="Import 6 applications").click()
    expect(page.get_by_text("Waiting for the importer to pick it up")).to_be_visible()
    import_worker()

    expect(page.get_by_text("Imported 6 applications.")).to_be_visible(timeout=60_000)
    assert Application.objects.for_user(user).count() == 6


SPREADSHEET = (
    b"Company;Role;Status;Applied\n"
    b"Acme Robotics;platform engineer;Phone screen;14.03.2025\n"
    b"Globex;SRE;Coffee chat;21.03.2025\n"
    b"Globex;SRE;Coffee chat;21.03.2025\n"
    b"Initech;Backend Developer;Ghosted;02.02.2025\n"
)


@pytest.mark.parametrize("device", DEVICES)
def test_a_spreadsheet_with_duplicates_and_a_stage_of_its_own(live_server, open_page, device):
    user = UserFactory(email=f"sheet-{device}@example.com", time_zone="Europe/Berlin")
    acme = CompanyFactory(owner=user, name="Acme Robotics")
    ApplicationFactory(owner=user, company=acme, role_title="Platform Engineer")
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/import/")
    page.get_by_label("Your file").set_input_files(
        files=[{"name": "my-search.csv", "mimeType": "text/csv", "buffer": SPREADSHEET}]
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_text("Its columns are separated by semicolons.")).to_be_visible()
    expect(page.get_by_text("2 rows are already here")).to_be_visible()
    expect(page.get_by_text("We don't know this stage: which of ours is it?")).to_be_visible()
    expect(page.get_by_role("button", name="Import 3 applications")).to_have_count(0)
    page.get_by_label("“Coffee chat” (2 rows)").select_option(label="Screening")
    page.get_by_role("button", name="Update the preview").click()

    expect(page.get_by_text("“Coffee chat” is Screening")).to_be_visible()
    expect(page.get_by_role("button", name="Import 2 applications")).to_be_visible()
    assert not browser_page.has_horizontal_scroll()
    browser_page.screenshot("csv-import-duplicates")
    assert browser_page.console_errors == []
