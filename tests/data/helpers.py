"""Shared steps of the data tests: export an account, import a document, count every table."""

from __future__ import annotations

import copy
import json

from django.apps import apps
from django.utils import timezone

from apps.accounts.models import User
from apps.portability import exporter, schema, services
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


def repeated(document: dict, *, times: int) -> dict:
    """The document with every row in it `times` over, as if the account had led that many searches.

    Copy n of a row links to copy n of the rows it names (its refs end in "-n"),
    so every copy is whole; companies get a " (n)" after their name, since an
    account holds one company of a name.
    """
    return {
        key: [_copy(table, row, n) for n in range(times) for row in document[key]]
        if (table := schema.TABLES_BY_KEY.get(key))
        else value
        for key, value in document.items()
    }


def _copy(table: schema.Table, row: dict, n: int) -> dict:
    copied = copy.deepcopy(row)
    if n == 0:
        return copied

    def again(ref: str | None) -> str | None:
        return f"{ref}-{n}" if ref else ref

    copied["ref"] = again(row["ref"])
    for link in table.links:
        copied[link.name] = again(row[link.name])
    if table.key == "prep_plans":
        copied["panel_notes"] = {again(ref): note for ref, note in row["panel_notes"].items()}
    if table.key == "companies":
        copied["name"] = f"{row['name']} ({n})"
    return copied
