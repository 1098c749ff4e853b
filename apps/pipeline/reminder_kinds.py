"""The pipeline's reminder kinds: follow up on a promised decision, nudge a quiet application.

The reminders kernel calls these context functions, named in its registry
(`apps/reminders/kinds.py`); the templates are in templates/pipeline/email/.
"""

from __future__ import annotations

from typing import Any

from apps.pipeline.models import Application, Stage
from apps.reminders.emails import Context, draft

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
