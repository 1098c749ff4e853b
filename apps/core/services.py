"""Writes of the core app: the drafts a person's forms keep on the server as they type, and the
views of a list page a person saves under a name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict

from apps.core import drafts
from apps.core.models import FormDraft, SavedView

# A person with more unsent drafts than this loses the oldest: a form left half-typed months
# ago, or one for a thing since deleted.
MAX_DRAFTS_PER_PERSON = 200


@dataclass
class KeptDraft:
    draft: FormDraft
    conflicts: list[drafts.FieldConflict]


def draft_keep(
    *,
    user,
    key: str,
    mine: Mapping[str, list[str]],
    base: Mapping[str, list[str]],
    origin: Mapping[str, list[str]],
    kinds: Mapping[str, str],
) -> KeptDraft:
    """Keep what a copy of a form holds now, merged per field with what other copies kept.

    `base` is the draft as this copy last heard of it (or what its page showed, if
    there was none); `origin` is what its page showed, recorded when the draft
    starts so that bringing it back later changes only what was typed.
    """
    with transaction.atomic():
        draft = FormDraft.objects.select_for_update().filter(user=user, key=key).first()
        if draft is None:
            draft = FormDraft.objects.create(user=user, key=key, fields=dict(mine), origin=dict(origin))
            _forget_the_oldest(user)
            return KeptDraft(draft=draft, conflicts=[])
        merged = drafts.merge_per_field(
            saved=drafts.typed(draft.fields, kinds),
            base=drafts.typed(base, kinds),
            mine=drafts.typed(mine, kinds),
        )
        draft.fields = {**draft.fields, **drafts.untyped(merged.values)}
        draft.save(update_fields=["fields", "updated_at"])
    return KeptDraft(draft=draft, conflicts=merged.conflicts)


def draft_discard(*, user, keys: Iterable[str]) -> int:
    """The form was sent: its draft is done. Returns how many were removed."""
    removed, _ = FormDraft.objects.filter(user=user, key__in=list(keys)).delete()
    return removed


def _forget_the_oldest(user) -> None:
    stale = (
        FormDraft.objects.filter(user=user)
        .order_by("-updated_at")
        .values_list("pk", flat=True)[MAX_DRAFTS_PER_PERSON:]
    )
    stale_ids = list(stale)
    if stale_ids:
        FormDraft.objects.filter(pk__in=stale_ids).delete()


# --- Saved views ------------------------------------------------------------------------

# The list pages a view can be saved on, and their address.
SAVED_VIEW_PAGES = {"applications": "pipeline:application_list"}
MAX_SAVED_VIEWS_PER_PAGE = 30
# Query parameters that say where the person had scrolled to, not what they chose to see.
NOT_PART_OF_A_VIEW = ("after", "page")


def view_query(query: QueryDict) -> str:
    """The part of a page's query string a saved view keeps: its filters, sort and columns."""
    kept = query.copy()
    for name in NOT_PART_OF_A_VIEW:
        kept.pop(name, None)
    return kept.urlencode()


def saved_view_save(*, user, page: str, name: str, query: str) -> tuple[SavedView, bool]:
    """Keep a page's query under a name; a name already used on that page is replaced.

    Returns the view and whether it replaced one."""
    name = " ".join(name.split())
    problems = {}
    if page not in SAVED_VIEW_PAGES:
        problems["page"] = "Views can be saved on the applications list only."
    if not name:
        problems["name"] = "Give the view a name, such as “Interviews this month”."
    elif len(name) > SavedView._meta.get_field("name").max_length:
        problems["name"] = "Keep the name under 80 characters."
    query = view_query(QueryDict(query))
    if len(query) > SavedView._meta.get_field("query").max_length:
        problems["query"] = "This view has too many filters to save. Clear a few and save again."
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        mine = SavedView.objects.select_for_update().filter(user=user, page=page)
        existing = mine.filter(name__iexact=name).first()
        if existing is None and mine.count() >= MAX_SAVED_VIEWS_PER_PAGE:
            raise ValidationError(
                {"name": f"You have {MAX_SAVED_VIEWS_PER_PAGE} saved views here: delete one to save another."}
            )
        if existing is not None:
            existing.name, existing.query = name, query
            existing.save(update_fields=["name", "query"])
            return existing, True
        return SavedView.objects.create(user=user, page=page, name=name, query=query), False


def saved_view_delete(*, view: SavedView) -> None:
    view.delete()
