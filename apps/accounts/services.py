from __future__ import annotations

from apps.accounts.models import User


def user_update_preferences(*, user: User, first_name: str, time_zone: str) -> User:
    user.first_name = first_name.strip()
    user.time_zone = time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "time_zone"])
    return user
