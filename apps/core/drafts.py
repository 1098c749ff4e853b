"""One versioning rule for every long form saved as a draft: merge per field, never drop words.

A copy of a form (a tab, a phone that was offline) sends what it has now and
the values it started from, its *base*. Against what is saved now:

1. a field it did not change (mine == base) keeps what is saved, so another
   tab's edit to that field survives;
2. a field only it changed (saved == base) takes its value;
3. a field both changed, to different values, is a conflict. Text is kept as
   saved and both versions go back to the person to pick or combine; a list
   of ticks merges by what each side added and removed; a single choice (a
   score) takes the latest tap, which is one tap to undo.

The browser half is static/js/drafts.js. The shapes are those of form data:
field name -> list of strings, as `FormData` and `QueryDict.lists()` give them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

# A base bigger than this is not one we sent: it is ignored (the save falls back
# to the plain version check, which refuses rather than guesses).
MAX_BASE_BYTES = 200_000


@dataclass(frozen=True)
class FieldConflict:
    name: str
    theirs: Any
    mine: Any


@dataclass
class Merged:
    values: dict[str, Any]
    conflicts: list[FieldConflict] = field(default_factory=list)


def _merge_ticks(saved: list, base: list, mine: list) -> list:
    added = [value for value in mine if value not in base]
    removed = {value for value in base if value not in mine}
    kept = [value for value in saved if value not in removed]
    return kept + [value for value in added if value not in kept]


def _same_text(value: Any) -> Any:
    # A browser sends a textarea's line breaks as CRLF in a form post and as LF in JSON:
    # the same text either way.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def merge_per_field(*, saved: Mapping[str, Any], base: Mapping[str, Any], mine: Mapping[str, Any]) -> Merged:
    """What to save when `mine` was edited from `base` and `saved` is what is there now."""
    merged = Merged(values={})
    for name, raw in mine.items():
        current = saved.get(name)
        value, now = _same_text(raw), _same_text(current)
        started_from = _same_text(base.get(name, current))
        if value in (now, started_from):
            merged.values[name] = current
        elif now == started_from:
            merged.values[name] = raw
        elif isinstance(value, list) and isinstance(now, list) and isinstance(started_from, list):
            merged.values[name] = _merge_ticks(now, started_from, value)
        elif isinstance(value, str):
            merged.values[name] = current
            merged.conflicts.append(FieldConflict(name=name, theirs=current, mine=raw))
        else:
            merged.values[name] = raw
    return merged


# Limits on a draft a browser sends to the store: no form of ours comes near them.
MAX_FIELDS = 300
MAX_NAME_LENGTH = 100
# How a field's values merge: typed text (one string), ticks (a list), or one choice.
FIELD_KINDS = ("text", "ticks", "choice")


def values_from_json(raw: str) -> dict[str, list[str]] | None:
    """Form data sent as JSON (name -> list of strings); None if it is not of that shape or too big."""
    if not raw or len(raw) > MAX_BASE_BYTES:
        return None
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or len(parsed) > MAX_FIELDS:
        return None
    for name, values in parsed.items():
        if len(name) > MAX_NAME_LENGTH or not isinstance(values, list):
            return None
        if not all(isinstance(value, str) for value in values):
            return None
    return parsed


def kinds_from_json(raw: str) -> dict[str, str] | None:
    """How each field merges, as the browser sent it (name -> one of FIELD_KINDS); None if not that."""
    try:
        kinds = json.loads(raw or "{}")
    except ValueError:
        return None
    if not isinstance(kinds, dict) or len(kinds) > MAX_FIELDS:
        return None
    if not all(isinstance(name, str) and kind in FIELD_KINDS for name, kind in kinds.items()):
        return None
    return kinds


def base_from_post(data: QueryDict, names: Iterable[str], key: str = "draft_base") -> QueryDict | None:
    """The base a browser copy sent along, as form data of these fields; None if absent or not of
    that shape."""
    parsed = values_from_json(data.get(key, ""))
    if parsed is None:
        return None
    base = QueryDict(mutable=True)
    for name in names:
        base.setlist(name, parsed.get(name, []))
    return base


def typed(values: Mapping[str, list[str]], kinds: Mapping[str, str]) -> dict[str, Any]:
    """Form data in the shapes merge_per_field tells apart: text a string, ticks a list, a choice a tuple."""
    shaped: dict[str, Any] = {}
    for name, items in values.items():
        kind = kinds.get(name, "choice")
        if kind == "text":
            shaped[name] = items[0] if items else ""
        elif kind == "ticks":
            shaped[name] = list(items)
        else:
            shaped[name] = tuple(items)
    return shaped


def untyped(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Back to form data."""
    return {name: [value] if isinstance(value, str) else list(value) for name, value in values.items()}


def form_data(form: forms.Form, names: Iterable[str]) -> dict[str, list[str]]:
    """The saved values a form shows, in the shape the browser sends them (for its next base)."""
    data: dict[str, list[str]] = {}
    for name in names:
        value = form[name].value()
        if value is None:
            data[name] = []
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(form.fields[name].widget, forms.RadioSelect) and value == "":
            data[name] = []
        else:
            data[name] = [str(value)]
    return data
