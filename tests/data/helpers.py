"""Shared steps of the data tests: export an account, import a document, count every table."""

from __future__ import annotations

import json

from django.apps import apps
from django.utils import timezone

from apps.accounts.models import User
from apps.portability import exporter, services
from apps.portability.importer import ImportReport


def export_document(user: User) -> dict:
    """The account's export, as the download would give it."""
    return json.loads(b"".join(exporter.json_pieces(user=user, now=timezone.now())))


def import_document(user: User, document: dict) -> ImportReport:
    return services.account_import(user=user, raw=json.dumps(document).encode())


def without_stamps(document: dict) -> dict:
    """The document minus what differs between any two exports: when, and for whom."""
    return {key: value for key, value in document.items() if key not in {"exported_at", "user"}}


def row_counts() -> dict[str, int]:
    """Rows in every table of every app: a file refused must leave all of them as they were."""
    return {model._meta.label: model.objects.count() for model in apps.get_models(include_auto_created=True)}
