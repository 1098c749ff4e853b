"""The reminder kinds about people: the thank-you note, the recruiter debrief, and the
heads-up and thanks owed to referees.

The reminders kernel calls these context functions, named in its registry
(`apps/reminders/kinds.py`); the templates are in templates/contacts/email/.
"""

from __future__ import annotations

from typing import Any

from apps.contacts.models import ApplicationReference
from apps.journal.reminder_kinds import highlight_from, reflection_of, went_badly
from apps.reminders import kinds
from apps.reminders.emails import Context, draft

NOTES = "contacts/email"


def thank_you(reminder: Any, context: Context) -> Context:
    reflection = reflection_of(reminder.interview)
    added = {
        "reflection": reflection,
        "honest": went_badly(reflection),
        "highlight": highlight_from(reflection.went_well) if reflection else "",
    }
    subject = f"Thank you: {context['role']} interview"
    added["draft"] = draft(f"{NOTES}/_thank_you_note.txt", subject, {**context, **added})
    return added


def recruiter_debrief(reminder: Any, context: Context) -> Context:
    reflection = reflection_of(reminder.interview)
    return {
        "reflection": reflection,
        "honest": went_badly(reflection),
        "good_signs": reflection.good_sign_labels if reflection else [],
    }


def _referee(reminder: Any) -> Context:
    """The referee a reference reminder is about (its subject_key names the reference)."""
    what, _, pk = reminder.subject_key.partition(":")
    reference = None
    if what == kinds.REFERENCE and pk.isdigit():
        reference = (
            ApplicationReference.objects.for_user(reminder.owner)
            .select_related("referee")
            .filter(pk=pk)
            .first()
        )
    return {
        "referee": reference.referee if reference else None,
        "what_to_stress": reference.what_to_stress if reference else "",
    }


def reference_heads_up(reminder: Any, context: Context) -> Context:
    added = _referee(reminder)
    subject = f"A reference call may come from {context['company']}" if context["company"] else "A heads-up"
    referee = added["referee"]
    added["draft"] = draft(
        f"{NOTES}/_reference_heads_up_note.txt",
        subject,
        {**context, **added},
        to=referee.email if referee else "",
    )
    return added


def reference_thanks(reminder: Any, context: Context) -> Context:
    added = _referee(reminder)
    referee = added["referee"]
    added["draft"] = draft(
        f"{NOTES}/_reference_thanks_note.txt",
        "Thank you for the reference",
        {**context, **added},
        to=referee.email if referee else "",
    )
    return added
