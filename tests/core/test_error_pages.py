import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.failing_urls")]


def test_a_server_error_shows_the_styled_500_page_without_details():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "on purpose" not in page
    assert "Traceback" not in page


def test_a_forbidden_page_is_explained(client):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "can't open this page" in response.content.decode()


def test_a_malformed_request_is_explained(client):
    response = client.get("/bad/")

    assert response.status_code == 400
    assert "That request did not make sense" in response.content.decode()
