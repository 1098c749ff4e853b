"""Undoing an import as a whole: the applications it made go, with their history and reminders.

The rules:
1. Only a finished import can be undone, and only once.
2. An application the person has touched since (edited, moved, archived, given
   an interview, a person, a reference, a logged conversation) is theirs now:
   the undo is refused, naming those, unless they ask to keep them and remove
   the rest.
3. Nothing else is removed, except the companies the import made that nothing
   uses any more and that have no notes or website added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, ProtectedError, RestrictedError
from django.utils import timezone

from apps.pipeline.models import Application, ApplicationImport, Company, StageChange

Status = ApplicationImport.Status
# Rows an import makes along with each application; they go with it.
MADE_WITH_IT = {"pipeline.StageChange", "reminders.Reminder"}


class UndoRefused(Exception):
    def __init__(self, message: str, changed: list[Application] | None = None) -> None:
        super().__init__(message)
        self.changed = changed or []


@dataclass(frozen=True)
class UndoReport:
    removed: int
    kept: list[Application] = field(default_factory=list)


def changed_since_import(application_import: ApplicationImport, ids: list[int]) -> set[int]:
    """Which of the import's applications have been touched since it finished.

    Every kind of row that points at an application counts, beyond its first
    history line and its reminders, so a model added later counts too.
    """
    changed = set(
        Application.objects.filter(pk__in=ids, updated_at__gt=application_import.imported_at).values_list(
            "pk", flat=True
        )
    )
    moved = (
        StageChange.objects.filter(application_id__in=ids)
        .values("application_id")
        .annotate(lines=Count("pk"))
        .filter(lines__gt=1)
    )
    changed.update(row["application_id"] for row in moved)
    for relation in Application._meta.related_objects:
        if relation.related_model._meta.label in MADE_WITH_IT:
            continue
        name = relation.field.name
        linked = relation.related_model._base_manager.filter(**{f"{name}__in": ids}).order_by()
        changed.update(linked.values_list(name, flat=True).distinct())
    return changed


@transaction.atomic
def application_import_undo(
    *, application_import: ApplicationImport, keep_changed: bool = False, now: dt.datetime | None = None
) -> UndoReport:
    """Remove what the import made; refused, with the changed ones named, unless keep_changed."""
    now = now or timezone.now()
    # Locked, so two undos sent at once (a double click) remove things once.
    locked = ApplicationImport.objects.select_for_update().get(pk=application_import.pk)
    if locked.status == Status.UNDONE:
        raise UndoRefused("This import has already been undone.")
    if locked.status != Status.DONE:
        raise UndoRefused("This import hasn't finished, so there is nothing to undo yet.")
    made = Application.objects.filter(created_by_import=locked, owner=locked.owner)
    # Locked too: an edit saved meanwhile waits, then finds its application gone or kept.
    ids = list(made.select_for_update().values_list("pk", flat=True))
    changed_ids = changed_since_import(locked, ids)
    changed = list(
        Application.objects.filter(pk__in=changed_ids)
        .select_related("company")
        .order_by("company__name", "pk")
    )
    if changed and not keep_changed:
        noun = "application" if len(changed) == 1 else "applications"
        raise UndoRefused(
            f"Nothing was undone: you've changed {len(changed)} {noun} from this import since. "
            "Undoing it would lose those changes.",
            changed,
        )
    removed = len(ids) - len(changed_ids)
    made.exclude(pk__in=changed_ids).delete()
    _remove_unused_companies(locked)
    ApplicationImport.objects.filter(pk=locked.pk).update(
        status=Status.UNDONE, undone_at=now, undone_count=removed
    )
    application_import.status, application_import.undone_at = Status.UNDONE, now
    application_import.undone_count = removed
    return UndoReport(removed=removed, kept=changed)


def _remove_unused_companies(application_import: ApplicationImport) -> None:
    unused = (
        Company.objects.for_user(application_import.owner)
        .filter(pk__in=application_import.created_company_ids, notes="", website="")
        .filter(applications__isnull=True)
    )
    try:
        with transaction.atomic():
            unused.delete()
    except (ProtectedError, RestrictedError):
        # Something else has come to rely on one of them since: keep them all, they are harmless.
        pass
