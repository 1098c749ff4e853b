"""Writes of the core app: the drafts a person's forms keep on the server as they type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from apps.core import drafts
from apps.core.models import FormDraft

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
