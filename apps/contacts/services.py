"""Writes about people: contacts, who took part where, what passed between you, references."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.contacts import selectors
from apps.contacts.models import (
    REFERENCE_ORDER,
    ApplicationContact,
    ApplicationReference,
    Contact,
    ContactKind,
    Interaction,
    InterviewParticipant,
    ReferenceStatus,
)
from apps.pipeline.models import Application, Interview, Stage
from apps.reminders import api as reminders
from apps.reminders.kinds import Kind

CONTACT_FIELDS = {"name", "kind", "company", "job_title", "email", "phone", "linkedin_url", "notes"}


def contacts_with_email(*, owner: User, email: str, exclude: Contact | None = None) -> list[Contact]:
    """The owner's contacts already using this address: a new one may be a duplicate."""
    if not email:
        return []
    found = Contact.objects.for_user(owner).filter(email__iexact=email.strip())
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found)


def contact_create(*, owner: User, **fields: object) -> Contact:
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    contact = Contact(owner=owner, **fields)
    contact.full_clean(exclude=["owner"])
    contact.save()
    return contact


def contact_update(*, contact: Contact, **fields: object) -> Contact:
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean(exclude=["owner"])
    contact.save()
    # Interviews keep the name as it was typed at the time; a correction carries over.
    contact.interview_appearances.update(name=contact.name)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Delete a contact; interviews they took part in keep their name, marked as deleted."""
    contact.interview_appearances.update(name=f"{contact.name} (deleted contact)")
    contact.delete()


def application_add_contact(
    *, application: Application, contact: Contact, role: str = ""
) -> ApplicationContact:
    """Attach a person to an application; attaching them twice keeps one link."""
    if contact.owner_id != application.owner_id:
        raise ValidationError("That contact is not yours.")
    link, created = ApplicationContact.objects.get_or_create(
        application=application, contact=contact, defaults={"role": role or contact.kind}
    )
    if not created and role and link.role != role:
        link.role = role
        link.save(update_fields=["role"])
    return link


def application_remove_contact(*, application: Application, contact: Contact) -> None:
    ApplicationContact.objects.filter(application=application, contact=contact).delete()


def interview_add_participant(*, interview: Interview, contact: Contact) -> InterviewParticipant:
    """Record that you met someone at an interview (and link them to its application)."""
    if contact.owner_id != interview.application.owner_id:
        raise ValidationError("That contact is not yours.")
    participant, _ = InterviewParticipant.objects.get_or_create(
        interview=interview,
        contact=contact,
        defaults={
            "name": contact.name,
            "role": contact.kind if contact.kind != ContactKind.OTHER else "interviewer",
        },
    )
    application_add_contact(application=interview.application, contact=contact)
    return participant


def interview_remove_participant(*, participant: InterviewParticipant) -> None:
    participant.delete()


@transaction.atomic
def interaction_log(
    *,
    owner: User,
    summary: str,
    contact: Contact | None = None,
    application: Application | None = None,
    happened_at: dt.datetime | None = None,
    channel: str = "call",
    direction: str = "outgoing",
    feedback: str = "",
    is_debrief: bool = False,
    interview: Interview | None = None,
) -> Interaction:
    for thing in (contact, application):
        if thing is not None and thing.owner_id != owner.pk:
            raise ValidationError("That is not yours.")
    interaction = Interaction(
        owner=owner,
        contact=contact,
        application=application,
        happened_at=happened_at or timezone.now(),
        channel=channel,
        direction=direction,
        summary=summary.strip(),
        feedback=feedback.strip(),
        is_debrief=is_debrief,
    )
    interaction.full_clean(exclude=["owner", "contact", "application"])
    interaction.save()
    if contact is not None and application is not None:
        application_add_contact(application=application, contact=contact)
    if is_debrief and application is not None:
        # Debriefing the recruiter was the thing the reminder asked for.
        reminders.complete(kind=Kind.RECRUITER_DEBRIEF, about=interview, application=application)
    return interaction


# --- Recruiter debriefs ------------------------------------------------------------


class DebriefAlreadyLogged(Exception):
    """The interview has a debrief the person had not seen when they logged this one."""

    def __init__(self, latest: Interaction) -> None:
        super().__init__("This interview was debriefed already.")
        self.latest = latest


@transaction.atomic
def debrief_log(
    *,
    owner: User,
    interview: Interview,
    script: str,
    recruiter: Contact | None,
    channel: str,
    after_debrief_id: int | None = None,
) -> tuple[Interaction, bool]:
    """Log a recruiter debrief about an interview; returns (the debrief, whether it is new).

    1. The interview's row is locked first, so two posts of one form (a double click, a
       form sent again from another tab) are taken one after the other: the second sees
       what the first logged.
    2. A script already logged about this interview is that debrief sent again: the one
       logged is returned, and nothing is logged twice.
    3. Once the interview has a debrief, another is logged only when the person saw the
       latest one and chose to log another (`after_debrief_id` names it). Otherwise
       DebriefAlreadyLogged carries the latest, for the page to show.
    """
    Interview.objects.select_for_update().filter(pk=interview.pk).values_list("pk", flat=True).first()
    debriefs = selectors.interview_debriefs(interview=interview)
    repeat = debriefs.filter(summary=script.strip()).first()
    if repeat is not None:
        return repeat, False
    latest = debriefs.first()
    if latest is not None and latest.pk != after_debrief_id:
        raise DebriefAlreadyLogged(latest)
    interaction = interaction_log(
        owner=owner,
        summary=script,
        contact=recruiter,
        application=interview.application,
        channel=channel,
        is_debrief=True,
        interview=interview,
    )
    return interaction, True


# --- References -----------------------------------------------------------------


def reference_add(
    *, application: Application, referee: Contact, what_to_stress: str = ""
) -> ApplicationReference:
    if referee.owner_id != application.owner_id:
        raise ValidationError("That contact is not yours.")
    reference, _ = ApplicationReference.objects.get_or_create(
        application=application, referee=referee, defaults={"what_to_stress": what_to_stress.strip()}
    )
    application_add_contact(application=application, contact=referee, role=ContactKind.REFEREE)
    if application.stage in REFEREE_CALL_STAGES:
        reference_heads_up(reference=reference)
    return reference


_STATUS_TIMES = {
    ReferenceStatus.HEADS_UP_SENT: "heads_up_at",
    ReferenceStatus.GIVEN: "given_at",
    ReferenceStatus.THANKED: "thanked_at",
}


@transaction.atomic
def reference_advance(
    *, reference: ApplicationReference, to_status: str, now: dt.datetime | None = None
) -> ApplicationReference:
    """Move a reference forward: asked, heads-up sent, reference given, thanked.

    A step may be skipped (a referee called before any heads-up) but never undone.
    """
    if to_status not in REFERENCE_ORDER:
        raise ValidationError({"status": "Choose a step from the list."})
    if REFERENCE_ORDER.index(to_status) <= REFERENCE_ORDER.index(reference.status):
        raise ValidationError({"status": "That step is already behind this reference."})
    now = now or timezone.now()
    reference.status = to_status
    for status, field in _STATUS_TIMES.items():
        if REFERENCE_ORDER.index(status) <= REFERENCE_ORDER.index(to_status) and not getattr(
            reference, field
        ):
            setattr(reference, field, now)
    reference.save()
    reference_progressed(reference=reference)
    return reference


# --- Reminders about references -------------------------------------------------

# From these stages on, referees may be called: they should hear it from you first.
REFEREE_CALL_STAGES = [Stage.SECOND_INTERVIEW, Stage.FINAL_ROUND, Stage.REFERENCE_CHECK, Stage.OFFER]


def reference_heads_up(*, reference: ApplicationReference):
    """Tell a referee a call may come: now, since the application is far enough along."""
    return reminders.schedule(kind=Kind.REFERENCE_HEADS_UP, about=reference)


def reference_progressed(*, reference: ApplicationReference) -> None:
    """A reference moved on: close what is done, ask for the thank-you once it is given."""
    if reference.status in (ReferenceStatus.HEADS_UP_SENT, ReferenceStatus.GIVEN, ReferenceStatus.THANKED):
        reminders.complete(kind=Kind.REFERENCE_HEADS_UP, about=reference)
    if reference.status == ReferenceStatus.GIVEN:
        reminders.schedule(kind=Kind.REFERENCE_THANKS, about=reference)
    if reference.status == ReferenceStatus.THANKED:
        reminders.complete(kind=Kind.REFERENCE_THANKS, about=reference)


def warn_referees(*, application: Application) -> None:
    """The application got far enough for reference calls: a heads-up for each referee only asked."""
    if application.stage not in REFEREE_CALL_STAGES:
        return
    asked = application.references.filter(status=ReferenceStatus.ASKED).select_related("application__owner")
    for reference in asked:
        reference_heads_up(reference=reference)
