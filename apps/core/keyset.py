"""Pages of a long list by where the last one ended (keyset), not by counting rows to skip.

An OFFSET page costs more the further in it is, and a row added while the person
reads moves every later page by one: the same row twice, or one never seen. A
keyset page asks for the rows that sort after the last row shown, by the sort's
columns and the primary key, so each page costs the same and none is skipped.
The position travels as a signed token (`after=`): one that does not verify,
or comes from another sort, starts the list from the top rather than failing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

SALT = "second-round.keyset"


@dataclass
class KeysetPage:
    rows: list[Any]
    # The query string of the rows after these (the filters kept); "" when these are the last.
    next_query: str
    # The query string of the list from its top, the filters kept.
    first_query: str
    # True when this page starts somewhere down the list.
    continued: bool


def _value(row: Any, column: str) -> Any:
    value = row
    for part in column.split("__"):
        value = getattr(value, part, None) if value is not None else None
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"dt"}:
        return parse_datetime(value["dt"])
    return value


def _beyond(column: str, value: Any, pk: int, descending: bool, nullable: bool) -> Q:
    """Rows after (value, pk) in the order `column` then pk, both one way, empty values last."""
    further = "lt" if descending else "gt"
    if value is None:
        return Q(**{f"{column}__isnull": True, f"pk__{further}": pk})
    after = Q(**{f"{column}__{further}": value}) | Q(**{column: value, f"pk__{further}": pk})
    return after | Q(**{f"{column}__isnull": True}) if nullable else after


def ordering(column: str, descending: bool, nullable: bool = True) -> list:
    """The order a keyset page needs: the column, then the primary key, the same way, empty last.

    "Empty last" is spelt out only for a column that can be empty: Postgres reads a plain
    descending order straight off an index, but not one with NULLS LAST added."""

    def way(name: str, can_be_empty: bool):
        if can_be_empty:
            return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        return F(name).desc() if descending else F(name).asc()

    return [way(column, nullable), way("pk", False)]


def _nullable(queryset: QuerySet, column: str) -> bool:
    """Whether `column` can be empty, following the relations it is reached through: a column of
    a related row can be empty if any link on the way can."""
    model = queryset.model
    for part in column.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:  # an annotation: nothing says it is never empty
            return True
        if field.null or not field.concrete:  # a reverse relation can find no row
            return True
        model = field.related_model
    return False


def page(
    queryset: QuerySet,
    *,
    column: str,
    descending: bool,
    query: QueryDict,
    size: int,
    sort: str,
    nullable: bool | None = None,
) -> KeysetPage:
    """`size` rows of `queryset` in the order `ordering(column, descending)`, after the position the
    request's `after=` names; `query` is the request's query string, filters and all.

    `nullable=False` says the queryset holds no row with `column` empty, though the field allows it."""
    position = _read(query.get("after", ""), sort)
    if nullable is None:
        nullable = _nullable(queryset, column)
    rows_query = queryset.order_by(*ordering(column, descending, nullable))
    if position is not None:
        value, pk = position
        rows_query = rows_query.filter(_beyond(column, value, pk, descending, nullable))
    rows = list(rows_query[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    first = query.copy()
    for name in ("after", "page"):
        first.pop(name, None)
    following = ""
    if more and rows:
        following_query = first.copy()
        following_query["after"] = position_after(rows[-1], column=column, sort=sort)
        following = following_query.urlencode()
    return KeysetPage(
        rows=rows, next_query=following, first_query=first.urlencode(), continued=position is not None
    )


def position_after(row: Any, *, column: str, sort: str) -> str:
    """The `after=` token of the rows that follow `row`: for a list whose first page was read
    some other way (the board reads every column's first cards in one query)."""
    return signing.dumps([sort, _encode(_value(row, column)), row.pk], salt=SALT, compress=True)


def _read(token: str, sort: str) -> tuple[Any, int] | None:
    if not token:
        return None
    try:
        token_sort, value, pk = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if token_sort != sort or not isinstance(pk, int):
        return None
    return _decode(value), pk
