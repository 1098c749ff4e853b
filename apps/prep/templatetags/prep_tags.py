"""Prep pieces shown on other apps' pages: readiness beside each interview."""

from __future__ import annotations

from django import template

from apps.prep import selectors

register = template.Library()


@register.simple_tag
def readiness_map(interviews) -> dict[int, int]:
    """Readiness percent by interview id, for a page's interviews, in one query."""
    return selectors.readiness_for_interviews([interview.pk for interview in interviews])


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag
def board_readiness(columns) -> dict[int, int]:
    """Readiness of each card's next interview, for the whole board in one query."""
    ids = [card.next_interview_id for column in columns for card in column.cards if card.next_interview_id]
    return selectors.readiness_for_interviews(ids)
