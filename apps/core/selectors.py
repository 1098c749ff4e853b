"""Reads of the core app."""

from __future__ import annotations

from collections.abc import Iterable

from apps.core.models import FormDraft, SavedView

# A page asks for the drafts of the forms it shows: no page has more than this.
MAX_KEYS_PER_PAGE = 50


def drafts_for(*, user, keys: Iterable[str]) -> dict[str, FormDraft]:
    """The person's unsent drafts of these forms, by key, in one query."""
    wanted = list(dict.fromkeys(keys))[:MAX_KEYS_PER_PAGE]
    return {draft.key: draft for draft in FormDraft.objects.filter(user=user, key__in=wanted)}


def saved_views_for(*, user, page: str) -> list[SavedView]:
    return list(SavedView.objects.filter(user=user, page=page).only("pk", "name", "query", "page"))
