"""Journal pieces that other apps' pages show (the application page's lessons)."""

from __future__ import annotations

from django import template

from apps.journal import selectors

register = template.Library()

LESSONS_SHOWN = 5


@register.simple_tag(takes_context=True)
def open_lessons(context: template.Context) -> list:
    """The signed-in user's open lessons: call once per page, then pass the list down."""
    return list(selectors.open_lessons(user=context["request"].user)[:LESSONS_SHOWN])
