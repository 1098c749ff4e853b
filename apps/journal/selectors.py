"""Reads of the journal shared by several pages. Every one starts from the user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.journal.models import Lesson, Reflection
from apps.pipeline.models import Interview

# How far back an interview still asks to be reflected on.
REFLECTION_WINDOW = dt.timedelta(days=14)


def interviews_awaiting_reflection(*, user: User, now: dt.datetime) -> QuerySet[Interview]:
    """Recent interviews that have ended but have no final reflection yet, most recent first."""
    return (
        Interview.objects.for_user(user)
        .scheduled()
        .filter(ends_at__lte=now, ends_at__gte=now - REFLECTION_WINDOW)
        .filter(Q(reflection__isnull=True) | Q(reflection__status=Reflection.Status.DRAFT))
        .select_related("application__company", "reflection")
        .order_by("-starts_at")
    )


def open_lessons(*, user: User) -> QuerySet[Lesson]:
    return (
        Lesson.objects.for_user(user)
        .open()
        .select_related("reflection__interview__application__company")
        .order_by("-created_at")
    )


def reflection_search(
    *,
    user: User,
    application: str = "",
    round_number: int | None = None,
    confidence: int | None = None,
) -> QuerySet[Reflection]:
    reflections = Reflection.objects.for_user(user).select_related("interview__application__company")
    for word in application.split():
        reflections = reflections.filter(
            Q(interview__application__company__name__icontains=word)
            | Q(interview__application__role_title__icontains=word)
        )
    if round_number:
        reflections = reflections.filter(interview__round_number=round_number)
    if confidence:
        reflections = reflections.filter(confidence=confidence)
    return reflections.order_by("-interview__starts_at", "-pk")
