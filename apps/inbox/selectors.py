"""Reads for the inbox page: the person's latest messages, and the applications to offer."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.inbox.models import InboundMessage
from apps.pipeline.models import Application, Stage

PAGE_SIZE = 30


def latest_messages(*, user: User) -> list[InboundMessage]:
    """The newest messages first, without their raw bytes (a page of them can be megabytes)."""
    return list(
        InboundMessage.objects.for_user(user)
        .defer("raw")
        .select_related("interview__application__company")[:PAGE_SIZE]
    )


def open_applications(*, user: User) -> QuerySet[Application]:
    return (
        Application.objects.for_user(user)
        .open()
        .exclude(stage__in=Stage.exits())
        .select_related("company")
        .order_by("company__name", "role_title")
    )
