"""What an import remembers, so the same file brought in twice adds nothing the second time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportedRefQuerySet(models.QuerySet):
    def for_user(self, user) -> ImportedRefQuerySet:
        return self.filter(owner=user)


class ImportedRef(models.Model):
    """One row of an export file, and the row it became (or was matched to) in this account.

    `ref` is the row's stable reference in the file ("application:<uuid>");
    `table` is the export table it came from ("applications").
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_refs"
    )
    ref = models.CharField(max_length=100)
    table = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    # False when the row was matched to one already here (a company of the same
    # name): the account's own reference for that row stays the one it exports.
    created = models.BooleanField(default=True)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = ImportedRefQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "ref"], name="imported_ref_once_per_owner"),
        ]
        indexes = [models.Index(fields=["owner", "table", "object_id"], name="imported_ref_object_idx")]

    def __str__(self) -> str:
        return f"{self.ref} -> {self.table} {self.object_id}"
