"""Thank-you notes after an interview: one to each person met, built from the reflection.

The guide's advice is a short note within a day to everyone you met: thank
them, mention something from the conversation, add the one thing you wish you
had said, and restate why the role fits, honestly. Each sentence here is only
used when the reflection gives it something true to say; the person edits the
rest. A note is never harder on the writer than it needs to be: every draft
made here passes the balanced-language checker (apps/contacts/balanced.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apps.contacts import balanced
from apps.contacts.models import ContactKind, InterviewParticipant
from apps.journal.models import Reflection
from apps.journal.reminder_kinds import highlight_from, reflection_of, went_badly
from apps.pipeline.models import Interview
from apps.reminders.emails import Draft, draft, round_name_of, signature_of

NOTE_TEMPLATE = "contacts/email/_thank_you_note.txt"
# A note is a few sentences; a pasted essay is a mistake worth stopping.
NOTE_MAX_CHARS = 5000

# "What to improve" lines that name something left unsaid: that is the one thing to add.
_LEFT_UNSAID = re.compile(
    r"""\b(?: forgot | forgetting | didn['\u2019]?t \s+ get \s+ to | did \s+ not \s+ get \s+ to
        | meant | wanted | should \s+ have | wish \s+ I['\u2019]?d | wish \s+ I \s+ had
        | didn['\u2019]?t | did \s+ not | never )
        \s+ (?: to \s+ )? (?: mention | bring \s+ up | talk \s+ about | say | share | show )(?: ed )?
        \s+ (?P<what> [^.!?\n]{3,160})""",
    re.IGNORECASE | re.VERBOSE,
)
_TITLES = {"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx.", "prof", "prof."}


def greeting_name(name: str) -> str:
    """How a note opens to them: the first name, or the title and surname ("Dr Okafor")."""
    words = name.split()
    if not words:
        return ""
    if words[0].lower() in _TITLES and len(words) > 1:
        return f"{words[0]} {words[-1]}"
    return words[0]


def one_thing_to_add(to_improve: str) -> str:
    """What the person noted they never got to say ("I forgot to mention the cost savings")."""
    found = _LEFT_UNSAID.search(to_improve)
    if not found:
        return ""
    what = found["what"].strip(" ,;:-")
    # "...that I led the migration" reads as "that I led the migration": keep it as written.
    return what[0].lower() + what[1:] if what[:2] != "I " else what


def fit_line(reflection: Reflection | None, *, honest: bool, is_manager: bool) -> str:
    """How the note restates fit: only as warmly as the person's own scores say."""
    if reflection is None:
        return (
            "I enjoyed learning more about the role and the team, and I would be glad to hear "
            "about the next steps."
        )
    job = reflection.job_score
    if job is not None and job <= 2:
        # They are unsure about the job: thank them warmly, promise nothing.
        return "Thank you for being so open about the role and how the team works."
    lines = []
    if honest:
        lines.append(
            "I remain very interested in the role, and I would be glad to go into more depth on "
            "anything we covered if that would help."
        )
    elif (job or 0) >= 4 or (reflection.gut_score or 0) >= 4:
        lines.append(
            "Our conversation made me keener still: the role fits the work I do best and want to do more of."
        )
    else:
        lines.append(
            "I enjoyed learning how the team works, and I would be glad to hear about the next steps."
        )
    if is_manager and (reflection.manager_score or 0) >= 4:
        lines.append("I especially valued hearing how you run the team.")
    return " ".join(lines)


def _context(interview: Interview, reflection: Reflection | None, name: str, role: str) -> dict:
    application = interview.application
    owner = application.owner
    return {
        "owner": owner,
        "interview": interview,
        "greeting_name": greeting_name(name),
        "role": application.role_title,
        "company": application.company.name,
        "round_name": round_name_of(interview),
        "signature": signature_of(owner),
        "highlight": highlight_from(reflection.went_well) if reflection else "",
        "to_add": one_thing_to_add(reflection.to_improve) if reflection else "",
        "fit": fit_line(
            reflection, honest=went_badly(reflection), is_manager=role == ContactKind.HIRING_MANAGER
        ),
    }


def subject_for(interview: Interview) -> str:
    return f"Thank you: {interview.application.role_title} interview"


def generated_note(interview: Interview, *, name: str = "", role: str = "", to: str = "") -> Draft:
    """The note made from the reflection, addressed to one person (or to nobody by name)."""
    reflection = reflection_of(interview)
    return draft(NOTE_TEMPLATE, subject_for(interview), _context(interview, reflection, name, role), to=to)


@dataclass(frozen=True)
class PersonNote:
    """One person met, their note as it stands (edited or drafted), and whether it went."""

    participant: InterviewParticipant
    draft: Draft
    edited: bool
    flags: list[balanced.Flag]

    @property
    def sent(self) -> bool:
        return self.participant.thanked_at is not None

    @property
    def has_address(self) -> bool:
        return bool(self.draft.to)


def note_for(participant: InterviewParticipant, interview: Interview) -> PersonNote:
    contact = participant.contact
    address = contact.email if contact else ""
    if participant.thank_you_note:
        # Their own words: nothing to draft.
        note = Draft(subject=subject_for(interview), body=participant.thank_you_note, to=address)
    else:
        note = generated_note(interview, name=participant.name, role=participant.role, to=address)
    return PersonNote(
        participant=participant,
        draft=note,
        edited=bool(participant.thank_you_note),
        flags=balanced.review(note.body),
    )


def notes_for(interview: Interview) -> list[PersonNote]:
    """A note for each person met at the interview, in the order they were added."""
    people = interview.participants.select_related("contact")
    return [note_for(person, interview) for person in people]
