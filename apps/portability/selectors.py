"""Reads about a whole account."""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.models import User
from apps.portability import schema


@dataclass(frozen=True)
class TableCount:
    key: str
    count: int
    label: str


def account_counts(*, user: User) -> list[TableCount]:
    """How many rows of each kind the account holds, for the tables that have any."""
    counts = []
    for table in schema.TABLES:
        count = table.model.objects.filter(**{table.owner_path: user}).count()
        if count:
            counts.append(TableCount(key=table.key, count=count, label=table.label[0 if count == 1 else 1]))
    return counts
