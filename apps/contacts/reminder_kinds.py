"""The reminder kinds about people: the thank-you note, the recruiter debrief, and the
heads-up and thanks owed to referees.

The reminders kernel calls these context functions, named in its registry
(`apps/reminders/kinds.py`); the templates are in templates/contacts/email/.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.contacts import thank_you as thank_you_notes
from apps.contacts.models import ApplicationReference
from apps.journal.reminder_kinds import highlight_from, reflection_of, went_badly
from apps.reminders import kinds
from apps.reminders.emails import Context, absolute, draft

NOTES = "contacts/email"


# The email shows this many notes in full; the page has them all.
NOTES_IN_EMAIL = 3


def thank_you(reminder: Any, context: Context) -> Context:
    """A note for each person met who is not thanked yet, or one for everyone when none is named."""
    interview = reminder.interview
    reflection = reflection_of(interview)
    unsent = [note for note in thank_you_notes.notes_for(interview) if not note.sent]
    drafts = [note.draft for note in unsent[:NOTES_IN_EMAIL]]
    return {
        "reflection": reflection,
        "honest": went_badly(reflection),
        "highlight": highlight_from(reflection.went_well) if reflection else "",
        "drafts": drafts or [thank_you_notes.generated_note(interview)],
        "names": [note.participant.name for note in unsent],
        "more_notes": max(0, len(unsent) - NOTES_IN_EMAIL),
        "thank_you_url": absolute(reverse("contacts:thank_you", args=[interview.pk])),
    }


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
