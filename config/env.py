"""Small typed readers for configuration held in environment variables.

Settings stay in one module; these helpers keep each line of it short and
make a malformed value fail loudly at start-up instead of at first use.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings(url: str, *, file_path: str) -> dict[str, object]:
    """Translate an EMAIL_URL into Django's EMAIL_* settings.

    Accepted forms:
      smtp://user:password@host:587?tls=true   (also smtps:// for implicit TLS)
      console://                               print mail to the terminal
      file://                                  one file per message in `file_path`
      file:///some/folder                      ... or in that folder
      locmem://                                keep mail in memory (tests)
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path) or file_path,
        }
    if scheme in {"smtp", "smtps"}:
        options = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": options.get("tls") in _TRUE,
            "EMAIL_TIMEOUT": 20,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {scheme!r} is not one of smtp, smtps, console, file, locmem"
    )
