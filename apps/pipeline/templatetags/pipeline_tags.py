from __future__ import annotations

import datetime as dt

from django import template
from django.http import HttpRequest
from django.utils import timezone

from apps.pipeline.models import Stage

register = template.Library()

# A colour family per part of the search, so a glance at a badge says where it stands.
_STAGE_STYLES = {
    Stage.INTERESTED: "stage-early",
    Stage.APPLIED: "stage-early",
    Stage.SCREENING: "stage-early",
    Stage.FIRST_INTERVIEW: "stage-interview",
    Stage.SECOND_INTERVIEW: "stage-interview",
    Stage.FINAL_ROUND: "stage-interview",
    Stage.REFERENCE_CHECK: "stage-late",
    Stage.OFFER: "stage-late",
    Stage.ACCEPTED: "stage-won",
}


@register.filter
def stage_style(stage: str) -> str:
    return _STAGE_STYLES.get(stage, "stage-closed")


@register.filter
def stage_label(stage: str) -> str:
    return Stage(stage).label if stage in Stage.values else ""


@register.filter
def days_since(moment: dt.datetime | None) -> int | None:
    if moment is None:
        return None
    return max((timezone.now() - moment).days, 0)


@register.simple_tag(takes_context=True)
def sort_query(context: template.Context, key: str) -> str:
    """The current query string, sorted by `key`; the same key again flips the order."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    current = context.get("sort", "")
    query["sort"] = f"-{key}" if current == key else key
    query.pop("page", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_state(context: template.Context, key: str) -> str:
    """aria-sort value for a column header."""
    current = context.get("sort", "")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"
