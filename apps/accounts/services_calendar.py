"""Writes to the user's calendar feed settings."""

from __future__ import annotations

from apps.accounts.models import User, new_calendar_token


def user_regenerate_calendar_token(*, user: User) -> str:
    """Give the user's calendar feed a new secret address and return its token.

    For someone whose address leaked: the old address stops working at once,
    so every calendar subscribed with it must subscribe again.
    """
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
