"""The person's forwarding address, for pages outside the inbox app (the settings page)."""

from __future__ import annotations

from django import template

from apps.inbox import services

register = template.Library()


@register.simple_tag
def forwarding_address(user) -> str:
    return services.address_for(user).address
