from __future__ import annotations

from django.conf import settings
from django.db import models


class FormDraft(models.Model):
    """What a person has typed into a form and not sent yet, kept on the server as they type.

    One per form and person: the browser names the form (its draft key). The
    values are form data (field name -> list of strings); `origin` is what the
    form showed when the typing began, so a draft brought back later changes only
    what was typed, over whatever has been saved since. Sending the form (a post
    that is accepted) ends the draft: see apps/core/middleware.py.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    key = models.CharField(max_length=200)
    fields = models.JSONField(default=dict)
    origin = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_form")]
        indexes = [models.Index(fields=["user", "updated_at"], name="drafts_by_age")]

    def __str__(self) -> str:
        return f"Draft of {self.key}"


class SavedView(models.Model):
    """A list page's filters, sort and columns, kept under a name the person chose.

    The view is the page's own query string, so whatever the page can show by its
    address a saved view can bring back, and a view from before a filter existed
    still opens (the page ignores what it does not know)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    page = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="one_view_per_name")]

    def __str__(self) -> str:
        return self.name


class DeletedItem(models.Model):
    """Something a person deleted, kept long enough to bring it back (apps/core/trash.py).

    `rows` holds every row the delete removed, as Django's serializer writes them,
    and `links` the rows elsewhere that pointed at them and were left pointing at
    nothing (SET_NULL), so that bringing the item back puts them back too."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deleted_items")
    label = models.CharField(max_length=300)
    # What was deleted ("pipeline.application", its id): where to go once it is back.
    model_label = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    rows = models.JSONField(default=list)
    links = models.JSONField(default=list)
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        indexes = [models.Index(fields=["user", "-deleted_at"], name="deleted_by_age")]

    def __str__(self) -> str:
        return self.label
