import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_settings, env_bool


def test_smtp_url_with_credentials_and_starttls():
    result = email_settings("smtp://mailer:s%40cret@mail.example.com:587?tls=true", file_path="/srv/var/mail")

    assert result["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert result["EMAIL_HOST"] == "mail.example.com"
    assert result["EMAIL_PORT"] == 587
    assert result["EMAIL_HOST_USER"] == "mailer"
    assert result["EMAIL_HOST_PASSWORD"] == "s@cret"
    assert result["EMAIL_USE_TLS"] is True
    assert result["EMAIL_USE_SSL"] is False


def test_smtps_url_uses_implicit_tls_on_port_465_by_default():
    result = email_settings("smtps://mail.example.com", file_path="/srv/var/mail")

    assert result["EMAIL_PORT"] == 465
    assert result["EMAIL_USE_SSL"] is True


def test_file_url_without_a_path_writes_to_the_default_folder():
    default_folder = email_settings("file://", file_path="/srv/var/mail")
    chosen_folder = email_settings("file:///data/outbox", file_path="/srv/var/mail")

    assert default_folder["EMAIL_FILE_PATH"] == "/srv/var/mail"
    assert chosen_folder["EMAIL_FILE_PATH"] == "/data/outbox"


def test_an_unknown_email_scheme_fails_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings("carrier-pigeon://loft", file_path="/srv/var/mail")


def test_a_malformed_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", default=False)
