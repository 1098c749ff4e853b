import html
import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from apps.pipeline.models import Application
from tests.data.builders import build_rich_account
from tests.data.helpers import export_document, row_counts
from tests.helpers import assert_redirects_to_login

pytestmark = pytest.mark.django_db

EXPORT_JSON = reverse("portability:export_json")
EXPORT_ZIP = reverse("portability:export_zip")
IMPORT = reverse("portability:import")
DELETE = reverse("portability:delete")
SETTINGS = reverse("accounts:settings")


def page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def upload(client, content: bytes, name: str = "second-round.json"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, content_type="application/json")})


def test_the_urls_are_where_the_settings_page_points():
    assert (EXPORT_JSON, EXPORT_ZIP, IMPORT, DELETE) == (
        "/account/export.json",
        "/account/export.zip",
        "/account/import/",
        "/account/delete/",
    )


@pytest.mark.parametrize("url", [EXPORT_JSON, EXPORT_ZIP, IMPORT, DELETE])
def test_a_visitor_is_sent_to_log_in(client, url):
    assert_redirects_to_login(client.get(url))


def test_the_settings_page_offers_the_three_actions(visitors):
    response = visitors.owner.get(SETTINGS)

    page = response.content.decode()
    assert "Your data" in page
    for url in (EXPORT_JSON, EXPORT_ZIP, IMPORT, DELETE):
        assert f'href="{url}"' in page
    assert "style=" not in page.split('id="your-data-heading"')[1].split("</section>")[0]


def test_the_json_download_streams_my_data_only(visitors):
    build_rich_account(visitors.owner_user)
    build_rich_account(visitors.stranger_user, label="Globex")

    response = visitors.owner.get(EXPORT_JSON)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="second-round-\d{4}-\d\d-\d\d\.json"', response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    document = json.loads(body)
    assert document["user"]["email"] == "owner@example.com"
    assert b"Globex" not in body


def test_the_zip_download_is_an_attachment_with_the_csv_files(visitors):
    build_rich_account(visitors.owner_user)

    response = visitors.owner.get(EXPORT_ZIP)

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert re.fullmatch(
        r'attachment; filename="second-round-\d{4}-\d\d-\d\d\.zip"', response["Content-Disposition"]
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert "applications.csv" in archive.namelist()
        assert "Data Engineer <senior>" in archive.read("applications.csv").decode("utf-8-sig")


def test_the_import_page_explains_before_anything_happens(visitors):
    response = visitors.owner.get(IMPORT)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "Nothing was added" not in page_text(response)


def test_importing_a_file_shows_what_was_created(visitors):
    build_rich_account(visitors.stranger_user, label="Globex")
    content = json.dumps(export_document(visitors.stranger_user)).encode()

    response = upload(visitors.owner, content)

    assert response.status_code == 200
    text = page_text(response)
    assert "Created 2 companies, 3 applications, 8 steps of application history, 3 interviews," in text
    assert "1 reflection," in text
    assert Application.objects.for_user(visitors.owner_user).count() == 3
    again = page_text(upload(visitors.owner, content))
    assert "Nothing new: everything in this file was already here." in again
    assert Application.objects.for_user(visitors.owner_user).count() == 3


def test_a_refused_file_lists_its_problems_and_changes_nothing(visitors):
    build_rich_account(visitors.owner_user)
    document = export_document(visitors.owner_user)
    document["applications"][0]["stage"] = "<script>alert(1)</script>"
    document["interviews"][0]["application"] = "application:gone"
    before = row_counts()

    response = upload(visitors.stranger, json.dumps(document).encode(), name="edited.json")

    assert response.status_code == 400
    text = page_text(response)
    assert "We could not import edited.json" in text
    assert "Nothing was added or changed" in text
    assert 'names "application:gone", which is not a row of "applications"' in text
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00not utf-8", "The file is not UTF-8 text"),
        (b"not json at all", "The file is not valid JSON"),
        (b'{"format": "second-round-export", "version": 99}', "version 99 of the format"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_a_clear_reason(visitors, content, message):
    response = upload(visitors.owner, content)

    assert response.status_code == 400
    assert message in page_text(response)


def test_sending_the_form_without_a_file_asks_for_one(visitors):
    response = visitors.owner.post(IMPORT, {})

    assert response.status_code == 400
    assert "This field is required." in page_text(response)


def test_an_empty_file_is_refused(visitors):
    response = upload(visitors.owner, b"")

    assert response.status_code == 400
    assert "The submitted file is empty." in page_text(response)
