"""Writes for email in: take a message at the door, then read it into the pipeline.

    receive(recipient=, mail_from=, raw=)   the mail server's part: refuse, or store and queue
    read(message_id=)                        the worker's part: invitations become interviews
    choose_application(message=, ...)        the person says which application an invitation is for
    retry(message=)                          read a failed one again

Storing comes first and reading second, each in its own transaction, so a message the
reader chokes on is kept, with the reason, for the person to see and try again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import confirmed_addresses
from apps.contacts import services as contacts
from apps.contacts.models import Contact, ContactKind, InterviewParticipant
from apps.inbox import invites
from apps.inbox.models import MESSAGE_MAX_BYTES, CalendarInvite, InboundMessage, InboxAddress, new_inbox_token
from apps.journal import services as journal
from apps.pipeline import services as pipeline
from apps.pipeline.models import Application, Interview, InterviewFormat, Stage
from apps.reminders import links
from apps.reminders import services as reminder_services
from apps.reminders.kinds import Kind
from apps.reminders.models import Reminder

# More than this many messages in an hour to one address is a loop or an attack, not a person.
MESSAGES_PER_HOUR = 30
# An invitation is for one interview, sometimes a day of them; more events than this in one
# message is a calendar export, not an invitation, and only the first are added.
INVITES_PER_MESSAGE = 5
# A mail server that gets a 4xx answer tries again later; a 5xx answer bounces the message.
TRY_LATER, REFUSED, TOO_BIG = 451, 550, 552
# Mail providers anyone can sign up with: their domain says nothing about the employer.
PUBLIC_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com",
    "me.com", "proton.me", "protonmail.com", "aol.com", "gmx.com", "gmx.de", "web.de", "fastmail.com",
}  # fmt: skip


class Refused(Exception):
    """A message turned away at the door, with the SMTP code and the reason the sender gets."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- The address ------------------------------------------------------------------------


def address_for(user: User) -> InboxAddress:
    """The person's private address, made the first time they need it."""
    return InboxAddress.objects.get_or_create(owner=user)[0]


def address_regenerate(*, user: User) -> InboxAddress:
    """A new address; mail to the old one is refused from now on."""
    address = address_for(user)
    address.token = new_inbox_token()
    address.save(update_fields=["token"])
    return address


def address_set_any_sender(*, user: User, any_sender: bool) -> InboxAddress:
    address = address_for(user)
    address.any_sender = any_sender
    address.save(update_fields=["any_sender"])
    return address


def token_of(recipient: str) -> str:
    """The token in `token@domain` (or `token+anything@domain`), lower-cased."""
    local = recipient.strip().strip("<>").rpartition("@")[0] or recipient
    return local.split("+", 1)[0].lower()


# --- At the door -------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Whose mail it is, and the reminder it answers when it is a reply to one."""

    address: InboxAddress
    reminder: Reminder | None = None


def check_recipient(recipient: str) -> Recipient:
    """The person a message is for, or Refused: only mail to a live forwarding address, or to
    the signed reply address of one of their reminders, is taken."""
    token = token_of(recipient)
    reminder = links.reminder_replied_to(token) if token.startswith("r-") else None
    if reminder is not None:
        return Recipient(address_for(reminder.owner), reminder)
    address = InboxAddress.objects.select_related("owner").filter(token=token).first()
    if address is None or not address.owner.is_active:
        raise Refused(REFUSED, "No such mailbox here.")
    return Recipient(address)


@transaction.atomic
def receive(*, recipient: str, mail_from: str, raw: bytes, now: dt.datetime | None = None) -> InboundMessage:
    """Store a message for its owner and queue it to be read; Refused says why not."""
    now = now or timezone.now()
    to = check_recipient(recipient)
    address = to.address
    if len(raw) > MESSAGE_MAX_BYTES:
        raise Refused(TOO_BIG, f"Messages up to {MESSAGE_MAX_BYTES // (1024 * 1024)} MB only.")
    owner = address.owner
    sender = mail_from.strip().strip("<>").lower()
    if not address.any_sender and sender not in confirmed_addresses(owner):
        raise Refused(
            REFUSED,
            "This address takes mail only from its owner's confirmed addresses.",
        )
    recent = InboundMessage.objects.filter(owner=owner, received_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= MESSAGES_PER_HOUR:
        raise Refused(TRY_LATER, "Too many messages this hour; try again later.")
    message = InboundMessage.objects.create(
        owner=owner, received_at=now, mail_from=sender[:320], raw=raw, size=len(raw), reminder=to.reminder
    )
    transaction.on_commit(lambda: _queue(message.pk))
    return message


def _queue(message_id: int) -> None:
    from apps.inbox.tasks import read_inbound

    read_inbound.delay(message_id)


# --- Reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    interview: Interview | None
    outcome: str


def read(*, message_id: int, now: dt.datetime | None = None) -> InboundMessage | None:
    """Read a stored message once: its invitations become interviews, or it waits for the person.

    Delivered twice (the broker may), it is read once: the row is locked, and one already
    read is left as it is.
    """
    now = now or timezone.now()
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != InboundMessage.Status.RECEIVED:
            return message
        message.attempts += 1
        try:
            parsed = invites.parse_message(bytes(message.raw))
        except invites.MessageRefused as refusal:
            return _finish(message, InboundMessage.Status.FAILED, str(refusal), now)
        message.subject = parsed.subject[:300]
        if message.reminder_id is not None:
            return _read_reply(message, parsed, now)
        if parsed.invites:
            return _read_invites(message, parsed, now)
        return _suggest(message, parsed, now)


def _finish(message: InboundMessage, status: str, outcome: str, now: dt.datetime) -> InboundMessage:
    message.status = status
    message.outcome = outcome
    message.processed_at = now
    message.save()
    return message


def _read_invites(
    message: InboundMessage,
    parsed: invites.ParsedMessage,
    now: dt.datetime,
    *,
    chosen: Application | None = None,
) -> InboundMessage:
    """Each invitation applied: a known one moved or cancelled, a new one scheduled on the
    application it matches (or `chosen`, the one the person picked), or the person asked."""
    lines: list[str] = []
    interview = None
    if len(parsed.invites) > INVITES_PER_MESSAGE:
        lines.append(
            f"It holds {len(parsed.invites)} events, more than an invitation does: "
            f"only the first {INVITES_PER_MESSAGE} were read."
        )
    for invite in parsed.invites[:INVITES_PER_MESSAGE]:
        known = CalendarInvite.objects.filter(owner=message.owner, uid=invite.uid).select_related("interview")
        link = known.first()
        if link is not None:
            applied = _apply_known(link, invite)
        elif invite.method == "CANCEL":
            applied = Applied(None, f"“{invite.summary or 'An event'}” was cancelled, but it was never here.")
        else:
            application = chosen or match_application(
                owner=message.owner, invite=invite, subject=parsed.subject
            )
            if application is None:
                return _finish(
                    message,
                    InboundMessage.Status.CHOOSE,
                    "Which application is this invitation for? Choose it below.",
                    now,
                )
            applied = apply_new(owner=message.owner, invite=invite, application=application)
        interview = applied.interview or interview
        lines.append(applied.outcome)
    message.interview = interview
    lines += parsed.problems
    return _finish(message, InboundMessage.Status.DONE, "\n".join(lines), now)


# Where a reply's own words end and the message it answers begins, as mail apps write it.
_QUOTE_STARTS = re.compile(
    r"""^(?: On \s .{0,200} wrote: \s*$ | -{2,} \s* Original \s Message | From: \s | Sent \s from \s my
        | _{5,} | Le \s .{0,200} a \s écrit \s? : | Am \s .{0,200} schrieb .{0,80}: )""",
    re.IGNORECASE | re.VERBOSE,
)
_DONE = re.compile(r"^\s*(?:done|sent|sent it|did it)\b", re.IGNORECASE)
REPLY_MAX_CHARS = 5000


def reply_text(text: str) -> str:
    """The new words of a reply: the quoted message under it and the signature cut off."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_STARTS.match(line.strip()) or line.rstrip() == "--":
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()[:REPLY_MAX_CHARS]


def _read_reply(message: InboundMessage, parsed: invites.ParsedMessage, now: dt.datetime) -> InboundMessage:
    """A reply to a reminder's email: "done" closes it; words for the reflection prompt are added
    to that interview's reflection; anything else is kept here and changes nothing."""
    reminder = Reminder.objects.filter(pk=message.reminder_id).select_related("interview").first()
    if reminder is None:
        return _finish(message, InboundMessage.Status.NOTHING, "The reminder this answers is gone.", now)
    text = reply_text(parsed.text)
    label = reminder.get_kind_display()
    if _DONE.match(text):
        reminder_services.reminder_mark_done(reminder=reminder, now=now)
        return _finish(message, InboundMessage.Status.DONE, f"“{label}” is marked done, as you replied.", now)
    if reminder.kind == Kind.REFLECTION_PROMPT and reminder.interview_id and text:
        journal.reflection_append(interview=reminder.interview, text=text, editor="email", now=now)
        message.interview = reminder.interview
        return _finish(
            message,
            InboundMessage.Status.DONE,
            "Your reply is added to the reflection, under how it went. Finish it when you have a moment.",
            now,
        )
    return _finish(
        message,
        InboundMessage.Status.NOTHING,
        f"A reply to “{label}”. It is kept here; nothing was changed (reply “done” to mark it done).",
        now,
    )


def _suggest(message: InboundMessage, parsed: invites.ParsedMessage, now: dt.datetime) -> InboundMessage:
    when = invites.best_effort_when(parsed.text, parsed.subject, now=now, zone=message.owner.zone)
    if when is None:
        return _finish(
            message,
            InboundMessage.Status.NOTHING,
            "No invitation in it, and no date we could read. Nothing was changed.",
            now,
        )
    message.suggested_start = when
    return _finish(
        message,
        InboundMessage.Status.SUGGESTED,
        "No calendar invitation in it, but it seems to name a time: confirm it below to add the interview.",
        now,
    )


def _apply_known(link: CalendarInvite, invite: invites.Invite) -> Applied:
    """An invitation seen before: a newer version moves the interview, a cancellation cancels it."""
    interview = link.interview
    if invite.sequence < link.sequence:
        return Applied(interview, "An older version of an invitation already here: nothing changed.")
    if invite.method == "CANCEL":
        pipeline.interview_cancel(interview=interview)
        return Applied(
            interview, f"{_label(interview)} was cancelled by the organiser, so it is cancelled here too."
        )
    if interview.is_cancelled:
        return Applied(interview, f"{_label(interview)} was cancelled here; the update was not applied.")
    moved = (invite.starts_at, invite.ends_at) != (interview.starts_at, interview.ends_at)
    pipeline.interview_update(
        interview=interview,
        starts_at=invite.starts_at,
        ends_at=invite.ends_at,
        location=invite.location[:500] or interview.location,
        time_zone=invite.time_zone or interview.time_zone,
    )
    CalendarInvite.objects.filter(pk=link.pk).update(sequence=invite.sequence)
    if moved:
        return Applied(interview, f"{_label(interview)} moved to the new time; its reminders moved with it.")
    return Applied(interview, f"{_label(interview)} is already here, as the invitation says.")


def _label(interview: Interview) -> str:
    return f"Round {interview.round_number} at {interview.application.company.name}"


_URL = re.compile(r"^https?://", re.IGNORECASE)


@transaction.atomic
def apply_new(*, owner: User, invite: invites.Invite, application: Application) -> Applied:
    """Schedule the interview an invitation is for, with the people it names on its panel."""
    if application.owner_id != owner.pk:
        raise ValidationError("That application is not yours.")
    location = invite.location[:500]
    interview = pipeline.interview_schedule(
        application=application,
        starts_at=invite.starts_at,
        ends_at=invite.ends_at,
        format=InterviewFormat.VIDEO if not location or _URL.match(location) else InterviewFormat.ON_SITE,
        location=location,
        notes=f"From the invitation: {invite.summary}"[:2000] if invite.summary else "",
        time_zone=invite.time_zone,
    )
    CalendarInvite.objects.create(owner=owner, uid=invite.uid, sequence=invite.sequence, interview=interview)
    _add_people(owner, interview, invite)
    return Applied(interview, f"{_label(interview)} is scheduled for {_when(owner, interview)}.")


def _when(owner: User, interview: Interview) -> str:
    return interview.starts_at.astimezone(owner.zone).strftime("%A %-d %B at %H:%M")


def _add_people(owner: User, interview: Interview, invite: invites.Invite) -> None:
    """The organiser and the guests, but not the person: known contacts by address, the rest
    as new contacts (so that their thank-you note has an address) or by name alone."""
    own = confirmed_addresses(owner) | {owner.email.lower()}
    people = [person for person in [invite.organiser, *invite.attendees] if person is not None]
    seen: set[str] = set()
    for person in people:
        key = person.email or person.name.lower()
        if not key or key in seen or person.email in own:
            continue
        seen.add(key)
        if person.email:
            contact = Contact.objects.for_user(owner).filter(email__iexact=person.email).first()
            if contact is None:
                contact = contacts.contact_create(
                    owner=owner,
                    name=(person.name or person.email.partition("@")[0])[:200],
                    kind=ContactKind.INTERVIEWER,
                    company=interview.application.company.name[:200],
                    email=person.email[:254],
                )
            contacts.interview_add_participant(interview=interview, contact=contact)
        else:
            InterviewParticipant.objects.create(interview=interview, name=person.name[:200])


def match_application(*, owner: User, invite: invites.Invite, subject: str) -> Application | None:
    """The one open application an invitation is for, or None when it is not clear.

    In order: people on it the person already knows from one application; the organiser's
    company domain (not a public mail provider) against a company's website; the company's
    name in the subject.
    """
    open_applications = (
        Application.objects.for_user(owner).open().exclude(stage__in=Stage.exits()).select_related("company")
    )
    addresses = {person.email for person in [invite.organiser, *invite.attendees] if person and person.email}
    known = open_applications.filter(contact_links__contact__email__in=addresses)
    by_people = set(known.values_list("pk", flat=True)) if addresses else set()
    if len(by_people) == 1:
        return open_applications.get(pk=by_people.pop())
    candidates = list(open_applications)
    domain = (invite.organiser.email.rpartition("@")[2] if invite.organiser else "").lower()
    if domain and domain not in PUBLIC_MAIL_DOMAINS:
        by_domain = [a for a in candidates if _site_domain(a.company.website) in (domain, _parent(domain))]
        if len(by_domain) == 1:
            return by_domain[0]
    words = f"{subject} {invite.summary}".lower()
    by_name = [a for a in candidates if a.company.name and a.company.name.lower() in words]
    return by_name[0] if len(by_name) == 1 else None


def _site_domain(website: str) -> str:
    host = re.sub(r"^https?://", "", website.strip().lower()).split("/", 1)[0]
    return host.removeprefix("www.")


def _parent(domain: str) -> str:
    """mail.acme.com -> acme.com: invitations often come from a subdomain."""
    parts = domain.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else domain


# --- The person's part --------------------------------------------------------------------


@transaction.atomic
def choose_application(*, message: InboundMessage, application: Application) -> InboundMessage:
    """The person named the application an invitation is for: read it again with that one."""
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != InboundMessage.Status.CHOOSE:
        return message
    if application.owner_id != message.owner_id:
        raise ValidationError("That application is not yours.")
    parsed = invites.parse_message(bytes(message.raw))
    return _read_invites(message, parsed, timezone.now(), chosen=application)


@transaction.atomic
def suggestion_confirm(*, message: InboundMessage, application: Application) -> InboundMessage:
    """The person confirmed the time a message without an invitation named: an hour's interview
    then, on the application they chose. One already dealt with is left as it is."""
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != InboundMessage.Status.SUGGESTED or message.suggested_start is None:
        return message
    if application.owner_id != message.owner_id:
        raise ValidationError("That application is not yours.")
    interview = pipeline.interview_schedule(
        application=application,
        starts_at=message.suggested_start,
        ends_at=message.suggested_start + dt.timedelta(hours=1),
        notes=f"From your forwarded mail: {message.subject}"[:2000],
    )
    message.interview = interview
    return _finish(
        message,
        InboundMessage.Status.DONE,
        f"{_label(interview)} is added, for an hour: check its time and length on the application.",
        timezone.now(),
    )


def failure_words(error: Exception) -> str:
    """What went wrong, for the person: a rule the app keeps says itself, anything else does not."""
    if isinstance(error, ValidationError):
        return "It could not be added: " + " ".join(error.messages)
    return "Something went wrong while reading it. It is kept here; try again later."


def mark_failed(*, message_id: int, reason: str) -> None:
    InboundMessage.objects.filter(pk=message_id, status=InboundMessage.Status.RECEIVED).update(
        status=InboundMessage.Status.FAILED, outcome=reason, processed_at=timezone.now()
    )


def retry(*, message: InboundMessage) -> InboundMessage:
    """Read a message that could not be read again (the reader may have learnt better since)."""
    updated = InboundMessage.objects.filter(pk=message.pk, status=InboundMessage.Status.FAILED).update(
        status=InboundMessage.Status.RECEIVED, outcome=""
    )
    if updated:
        transaction.on_commit(lambda: _queue(message.pk))
    message.refresh_from_db()
    return message


def requeue_stuck(*, now: dt.datetime | None = None, after: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Messages stored but never read (the broker lost the task, the worker was down): queue again."""
    now = now or timezone.now()
    stuck = list(
        InboundMessage.objects.filter(
            status=InboundMessage.Status.RECEIVED, received_at__lt=now - after
        ).values_list("pk", flat=True)[:500]
    )
    for message_id in stuck:
        _queue(message_id)
    return len(stuck)
