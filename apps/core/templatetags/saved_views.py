"""The saved views of a list page, for its bar of views (templates/components/_saved_views.html)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from apps.core import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_views_of(context: template.Context, page_key: str) -> list:
    return selectors.saved_views_for(user=context["request"].user, page=page_key)


@register.simple_tag(takes_context=True)
def current_view_query(context: template.Context) -> str:
    """What a view saved now would keep: the page's filters, sort and columns, not its position."""
    return services.view_query(context["request"].GET)


@register.simple_tag
def saved_view_page(page_key: str) -> str:
    return reverse(services.SAVED_VIEW_PAGES[page_key])
