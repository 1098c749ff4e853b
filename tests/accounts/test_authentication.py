import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def _signup(client, **overrides):
    data = {
        "first_name": "Ana",
        "email": "ana@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "America/Sao_Paulo",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_signup_creates_the_account_signs_in_and_lands_on_the_dashboard(client):
    response = _signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="ana@example.com")
    assert user.first_name == "Ana"
    assert user.time_zone == "America/Sao_Paulo"
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "Hello, Ana" in dashboard.content.decode()


def test_signup_with_a_mismatched_password_keeps_what_was_typed(client):
    response = _signup(client, password2="something else entirely")

    assert response.status_code == 200
    page = response.content.decode()
    assert "You must type the same password each time" in page
    assert 'value="ana@example.com"' in page
    assert 'value="Ana"' in page
    assert '<option value="America/Sao_Paulo" selected>' in page
    assert not User.objects.exists()


def test_signup_refuses_a_time_zone_that_does_not_exist(client):
    response = _signup(client, time_zone="Mars/Olympus_Mons")

    assert response.status_code == 200
    assert "Choose a time zone from the list" in response.content.decode()
    assert not User.objects.exists()


def test_signup_accepts_an_old_spelling_of_a_time_zone_and_stores_the_current_one(client):
    # Chrome still reports India's zone as "Asia/Calcutta".
    _signup(client, time_zone="Asia/Calcutta")

    assert User.objects.get(email="ana@example.com").time_zone == "Asia/Kolkata"


def test_signup_with_an_address_already_registered_is_refused(client):
    UserFactory(email="ana@example.com")

    response = _signup(client)

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_login_with_the_right_password_opens_the_dashboard(client):
    UserFactory(email="olive@example.com", first_name="Olive")

    response = client.post(reverse("account_login"), {"login": "olive@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert "Hello, Olive" in client.get("/").content.decode()


def test_login_with_a_wrong_password_shows_an_error_and_keeps_the_email(client):
    UserFactory(email="olive@example.com")

    response = client.post(reverse("account_login"), {"login": "olive@example.com", "password": "nope"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "That email and password do not match an account" in page
    assert 'value="olive@example.com"' in page
    assert "_auth_user_id" not in client.session


def test_repeated_bad_logins_lock_the_account_for_a_while(client):
    UserFactory(email="olive@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "olive@example.com", "password": "guess"})

    # Even the right password is refused until the window has passed.
    response = client.post(reverse("account_login"), {"login": "olive@example.com", "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_signs_the_user_out(client):
    client.force_login(UserFactory())

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Create your free account" in client.get("/").content.decode()


def test_password_reset_email_arrives_and_its_link_sets_a_new_password(client):
    UserFactory(email="olive@example.com")

    response = client.post(reverse("account_reset_password"), {"email": "olive@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olive@example.com"]
    assert message.subject == "[Second Round] Choose a new password"
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    client.logout()
    assert client.login(email="olive@example.com", password=NEW_PASSWORD)


def test_password_reset_requests_are_rate_limited(client):
    UserFactory(email="olive@example.com")
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": "olive@example.com"})
    sent_before = len(mail.outbox)

    response = client.post(reverse("account_reset_password"), {"email": "olive@example.com"})

    assert response.status_code == 429
    assert len(mail.outbox) == sent_before


def test_a_visitor_at_the_root_sees_the_landing_page(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Create your free account" in page
    assert "Hello," not in page


def test_an_unknown_url_gives_the_styled_404_page(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "find that page" in page
    assert "Back to Second Round" in page


def test_changing_the_password_keeps_the_user_signed_in_and_the_old_one_stops_working(client):
    user = UserFactory(email="olive@example.com")
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_changing_the_email_address_sends_a_confirmation_to_the_new_one(client):
    user = UserFactory(email="olive@example.com")
    client.force_login(user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "olive@new.example.com"})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["olive@new.example.com"]]
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    client.post(confirm)
    user.refresh_from_db()
    assert user.email == "olive@new.example.com"
