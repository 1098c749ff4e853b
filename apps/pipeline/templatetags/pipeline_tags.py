from __future__ import annotations

import datetime as dt
import zoneinfo

from django import template
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

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


@register.simple_tag
def their_time(interview) -> str:
    """The interview's time where it was agreed, when that is not the person's own zone:
    14:00 to 15:00 in New York, beside the person's own 19:00 to 20:00."""
    if not interview.time_zone or interview.time_zone == timezone.get_current_timezone_name():
        return ""
    zone = zoneinfo.ZoneInfo(interview.time_zone)
    starts, ends = interview.starts_at.astimezone(zone), interview.ends_at.astimezone(zone)
    place = interview.time_zone.rsplit("/", 1)[-1].replace("_", " ")
    # Named only when it is not the person's day too (late evening here is the next morning there).
    same_day = starts.date() == timezone.localtime(interview.starts_at).date()
    day = "" if same_day else f"{date_format(starts, 'D j M')}, "
    return f"{day}{starts:%H:%M}\N{EN DASH}{ends:%H:%M} in {place}"


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
