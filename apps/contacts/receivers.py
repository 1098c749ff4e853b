"""The contacts app's answers to what the pipeline announces (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from apps.pipeline.signals import application_moved


@receiver(application_moved, dispatch_uid="contacts.warn_referees")
def warn_referees_on_move(*, application: Any, **_: Any) -> None:
    from apps.contacts.services import warn_referees

    warn_referees(application=application)
