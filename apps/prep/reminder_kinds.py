"""The prep review reminder: the day before an interview, the lessons still open.

The reminders kernel calls this context function, named in its registry
(`apps/reminders/kinds.py`); the templates are in templates/prep/email/.
"""

from __future__ import annotations

from typing import Any

from apps.journal import selectors as journal_selectors
from apps.reminders.emails import Context

LESSONS_SHOWN = 5


def prep_review(reminder: Any, context: Context) -> Context:
    return {"lessons": list(journal_selectors.open_lessons(user=reminder.owner)[:LESSONS_SHOWN])}
