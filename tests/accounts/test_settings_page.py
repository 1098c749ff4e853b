import pytest
from django.urls import reverse

from tests.helpers import assert_redirects_to_login

pytestmark = pytest.mark.django_db

URL = reverse("accounts:settings")


def test_settings_page_asks_a_visitor_to_log_in(client):
    assert_redirects_to_login(client.get(URL))


def test_each_user_sees_and_changes_only_their_own_settings(visitors):
    response = visitors.owner.post(URL, {"first_name": "Olivia", "time_zone": "Asia/Tokyo"})

    assert response.status_code == 302
    visitors.owner_user.refresh_from_db()
    visitors.stranger_user.refresh_from_db()
    assert visitors.owner_user.time_zone == "Asia/Tokyo"
    assert visitors.owner_user.first_name == "Olivia"
    assert visitors.stranger_user.time_zone == "Europe/London"
    assert '<option value="Europe/London" selected>' in visitors.stranger.get(URL).content.decode()


def test_an_unknown_time_zone_is_refused_and_the_name_typed_is_kept(visitors):
    response = visitors.owner.post(URL, {"first_name": "Olivia", "time_zone": "Atlantis/Capital"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a time zone from the list" in page
    assert 'value="Olivia"' in page
    visitors.owner_user.refresh_from_db()
    assert visitors.owner_user.time_zone == "Europe/London"


def test_markup_in_the_name_is_shown_as_text_not_run(visitors):
    visitors.owner.post(URL, {"first_name": "<script>alert(1)</script>", "time_zone": "UTC"})

    page = visitors.owner.get("/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_times_are_shown_in_the_users_time_zone(visitors):
    visitors.owner.post(URL, {"first_name": "Olive", "time_zone": "Pacific/Auckland"})

    page = visitors.owner.get("/").content.decode()

    assert "Times shown in Pacific/Auckland" in page
