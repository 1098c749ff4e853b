"""Writes about thank-you notes: a person's edited note, and the tick that says it went."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.contacts.models import InterviewParticipant
from apps.contacts.thank_you import NOTE_MAX_CHARS, generated_note
from apps.pipeline.models import Interview
from apps.reminders import api as reminders
from apps.reminders.kinds import Kind


def thank_you_note_save(*, participant: InterviewParticipant, text: str) -> InterviewParticipant:
    """Keep the person's own wording of a note; the drafted text itself, or nothing, goes back
    to the draft, so that a later reflection still shapes it."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(
            f"A thank-you note of {len(text):,} characters is more than anyone will read: "
            f"{NOTE_MAX_CHARS:,} at most, and a few sentences are best."
        )
    interview = participant.interview
    drafted = generated_note(interview, name=participant.name, role=participant.role).body.strip()
    participant.thank_you_note = "" if text == drafted else text
    participant.save(update_fields=["thank_you_note"])
    return participant


@transaction.atomic
def thank_you_mark_sent(
    *, participant: InterviewParticipant, sent: bool, now: dt.datetime | None = None
) -> bool:
    """Tick (or untick) one person's note as sent. Returns whether everyone met is now thanked,
    in which case the thank-you reminder is done."""
    now = now or timezone.now()
    people = InterviewParticipant.objects.filter(interview_id=participant.interview_id)
    # Ticks for two people from two tabs at once: each waits for the other, so the last one
    # sees both and closes the reminder (neither would, each seeing the other not yet sent).
    list(people.select_for_update())
    if sent:
        # The same tick twice (a double tap, a second tab): the first time it was sent stays.
        people.filter(pk=participant.pk, thanked_at__isnull=True).update(thanked_at=now)
    else:
        people.filter(pk=participant.pk).update(thanked_at=None)
    participant.refresh_from_db(fields=["thanked_at"])
    everyone_thanked = not people.filter(thanked_at__isnull=True).exists()
    if everyone_thanked:
        reminders.complete(kind=Kind.THANK_YOU, about=participant.interview, now=now)
    return everyone_thanked


def thank_you_all_sent(*, interview: Interview, now: dt.datetime | None = None) -> int:
    """The note went without the app's help (no one listed by name): the reminder is done."""
    return reminders.complete(kind=Kind.THANK_YOU, about=interview, now=now)
