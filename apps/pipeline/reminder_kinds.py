"""The pipeline's reminder kinds: follow up on a promised decision, nudge a quiet application,
keep the search moving.

The reminders kernel calls these context functions, named in its registry
(`apps/reminders/kinds.py`); the templates are in templates/pipeline/email/.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.pipeline.keep_searching import pulse
from apps.pipeline.models import Application, Stage
from apps.reminders.emails import Context, absolute, draft

NOTES = "pipeline/email"


def follow_up(reminder: Any, context: Context) -> Context:
    added = {"decision_date": context["application"].decision_expected_on}
    added["draft"] = draft(
        f"{NOTES}/_follow_up_note.txt", f"Checking in: {context['role']}", {**context, **added}
    )
    return added


def _other_active_applications(application: Application) -> int:
    return (
        Application.objects.filter(owner_id=application.owner_id)
        .open()
        .exclude(stage__in=[*Stage.exits(), Stage.ACCEPTED])
        .exclude(pk=application.pk)
        .count()
    )


def nudge(reminder: Any, context: Context) -> Context:
    added: Context = {"other_applications": _other_active_applications(context["application"])}
    added["draft"] = draft(
        f"{NOTES}/_nudge_note.txt", f"Checking in: {context['role']} application", {**context, **added}
    )
    return added


def keep_searching(reminder: Any, context: Context) -> Context:
    """This week's pulse, read when the email is built: what moved since the reminder was made counts."""
    return {
        "pulse": pulse(user=reminder.owner),
        "page_url": absolute(reverse("pipeline:keep_searching")),
        "add_url": absolute(reverse("pipeline:application_create")),
    }
