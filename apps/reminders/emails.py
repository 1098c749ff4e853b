"""Reminder emails: one function per kind, each rendering a subject, a text body and an HTML body.

Templates live in templates/reminders/email/: `<kind>_subject.txt`, `<kind>.txt`
and `<kind>.html`, the bodies extending `base.txt` and `base.html`; ready-to-send
messages the person can copy (a thank-you note, a follow-up) are `_<name>_note.txt`.

Every message goes to the reminder's owner, shows times in the owner's own time
zone (the worker that sends it runs in UTC), and carries signed links to mark
the reminder done, snooze it, or open it in the app.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.journal import selectors as journal_selectors
from apps.journal.models import Reflection
from apps.pipeline.models import Application, Interview, Stage
from apps.reminders import links
from apps.reminders.models import Kind, Reminder

REMINDER_HEADER = "X-Second-Round-Reminder"
TEMPLATE_DIR = "reminders/email"
PREP_LESSONS_SHOWN = 5
ROUND_NAMES = {1: "first-round", 2: "second-round", 3: "third-round", 4: "fourth-round", 5: "fifth-round"}

Context = dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """A message the person can copy, or open in their mail app with one tap."""

    subject: str
    body: str
    to: str = ""

    @property
    def mailto(self) -> str:
        # Without a known address the "To" stays empty and the mail app asks for it.
        # RFC 6068 wants %20 for spaces and CRLF line breaks.
        query = urlencode({"subject": self.subject, "body": self.body.replace("\n", "\r\n")}, quote_via=quote)
        return f"mailto:{quote(self.to, safe='@')}?{query}"


# --- What the reflection says ----------------------------------------------------


def reflection_of(interview: Interview | None) -> Reflection | None:
    if interview is None:
        return None
    try:
        return interview.reflection
    except Reflection.DoesNotExist:
        return None


def went_badly(reflection: Reflection | None) -> bool:
    """The person's own view: low confidence, or more warning signs than good ones.

    Not a verdict on the outcome, only which wording fits how they feel.
    """
    if reflection is None:
        return False
    low_confidence = reflection.confidence is not None and reflection.confidence <= 2
    return low_confidence or len(reflection.warning_signs) > len(reflection.good_signs)


# Words that start a sentence about oneself ("I explained..."): such a line
# does not fit "our conversation about ...", so the note leaves it out.
_SENTENCE_STARTS = {"i", "i'm", "i've", "we", "they", "he", "she", "it", "you", "there", "felt", "was"}
# Words that start a topic ("The design question"): lowered to fit mid-sentence.
_TOPIC_STARTS = {"the", "a", "an", "our", "my", "their", "his", "her", "how", "what", "why", "this", "that"}
_HIGHLIGHT_MAX = 100


def highlight_from(went_well: str) -> str:
    """A topic from "what went well" that the thank-you note can mention, or ""."""
    lines = (line.strip(" -*•\t") for line in went_well.splitlines())
    first = next((line for line in lines if line), "")
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].rstrip(".!?;:, ")
    if not first or len(first) > _HIGHLIGHT_MAX:
        return ""
    opening = first.split()[0].lower()
    if opening in _SENTENCE_STARTS:
        return ""
    if opening in _TOPIC_STARTS:
        first = first[0].lower() + first[1:]
    return first


# --- Shared pieces ---------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _round_name(interview: Interview | None) -> str:
    if interview is None:
        return ""
    return ROUND_NAMES.get(interview.round_number, f"round {interview.round_number}")


def _signature(owner: User) -> str:
    return owner.get_full_name() or owner.first_name


def _action_links(reminder: Reminder) -> dict[str, str]:
    return {action: links.action_url(reminder, action) for action in links.ACTIONS}


def _context(reminder: Reminder) -> Context:
    interview = reminder.interview
    application = reminder.application or (interview.application if interview else None)
    return {
        "reminder": reminder,
        "owner": reminder.owner,
        "zone_name": reminder.owner.time_zone,
        "application": application,
        "interview": interview,
        "company": application.company.name if application else "",
        "role": application.role_title if application else "",
        "round_name": _round_name(interview),
        "signature": _signature(reminder.owner),
        "links": _action_links(reminder),
        "settings_url": _absolute(reverse("accounts:settings")),
        "application_url": (
            _absolute(reverse("pipeline:application_detail", args=[application.pk])) if application else ""
        ),
    }


def _render(template: str, context: Context, zone: zoneinfo.ZoneInfo) -> str:
    # Dates in templates are shown in the current time zone: make it the owner's.
    with timezone.override(zone):
        return render_to_string(f"{TEMPLATE_DIR}/{template}", context)


def _tidy_text(text: str) -> str:
    """Template tags leave blank lines and trailing spaces; a plain email should not."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _draft(name: str, subject: str, context: Context, to: str = "") -> Draft:
    body = _tidy_text(_render(f"_{name}_note.txt", context, context["owner"].zone)).strip()
    return Draft(subject=subject, body=body, to=to)


def _with_referee(reminder: Reminder, context: Context) -> Context:
    """The referee a reference reminder is about (its subject_key names the reference)."""
    from apps.contacts.models import ApplicationReference

    kind, _, pk = reminder.subject_key.partition(":")
    reference = None
    if kind == "reference" and pk.isdigit():
        reference = (
            ApplicationReference.objects.for_user(reminder.owner)
            .select_related("referee")
            .filter(pk=pk)
            .first()
        )
    context["referee"] = reference.referee if reference else None
    context["what_to_stress"] = reference.what_to_stress if reference else ""
    return context


def _message(template: str, reminder: Reminder, context: Context) -> EmailMultiAlternatives:
    owner = reminder.owner
    subject = " ".join(_render(f"{template}_subject.txt", context, owner.zone).split())
    context = {**context, "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=_tidy_text(_render(f"{template}.txt", context, owner.zone)),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[owner.email],
        headers={
            REMINDER_HEADER: str(reminder.pk),
            # A page, not a one-click endpoint: the person chooses there which
            # reminders to keep, so no List-Unsubscribe-Post.
            "List-Unsubscribe": f"<{context['settings_url']}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(_render(f"{template}.html", context, owner.zone), "text/html")
    return message


# --- One function per kind -----------------------------------------------------------


def thank_you_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _context(reminder)
    reflection = reflection_of(reminder.interview)
    context |= {
        "reflection": reflection,
        "honest": went_badly(reflection),
        "highlight": highlight_from(reflection.went_well) if reflection else "",
    }
    context["draft"] = _draft("thank_you", f"Thank you: {context['role']} interview", context)
    return _message("thank_you", reminder, context)


def recruiter_debrief_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _context(reminder)
    reflection = reflection_of(reminder.interview)
    context |= {
        "reflection": reflection,
        "honest": went_badly(reflection),
        "good_signs": reflection.good_sign_labels if reflection else [],
    }
    return _message("recruiter_debrief", reminder, context)


def reflection_prompt_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _context(reminder)
    context["reflect_url"] = _absolute(reverse("journal:reflect", args=[reminder.interview_id]))
    return _message("reflection_prompt", reminder, context)


def reference_heads_up_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _with_referee(reminder, _context(reminder))
    subject = f"A reference call may come from {context['company']}" if context["company"] else "A heads-up"
    referee = context["referee"]
    context["draft"] = _draft("reference_heads_up", subject, context, to=referee.email if referee else "")
    return _message("reference_heads_up", reminder, context)


def reference_thanks_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _with_referee(reminder, _context(reminder))
    referee = context["referee"]
    context["draft"] = _draft(
        "reference_thanks", "Thank you for the reference", context, to=referee.email if referee else ""
    )
    return _message("reference_thanks", reminder, context)


def follow_up_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _context(reminder)
    context["decision_date"] = context["application"].decision_expected_on
    context["draft"] = _draft("follow_up", f"Checking in: {context['role']}", context)
    return _message("follow_up", reminder, context)


def _other_active_applications(application: Application) -> int:
    return (
        Application.objects.filter(owner_id=application.owner_id)
        .open()
        .exclude(stage__in=[*Stage.exits(), Stage.ACCEPTED])
        .exclude(pk=application.pk)
        .count()
    )


def nudge_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _context(reminder)
    context["other_applications"] = _other_active_applications(context["application"])
    context["draft"] = _draft("nudge", f"Checking in: {context['role']} application", context)
    return _message("nudge", reminder, context)


def prep_review_email(reminder: Reminder) -> EmailMultiAlternatives:
    context = _context(reminder)
    context["lessons"] = list(journal_selectors.open_lessons(user=reminder.owner)[:PREP_LESSONS_SHOWN])
    return _message("prep_review", reminder, context)


BUILDERS: dict[str, Callable[[Reminder], EmailMultiAlternatives]] = {
    Kind.THANK_YOU: thank_you_email,
    Kind.RECRUITER_DEBRIEF: recruiter_debrief_email,
    Kind.REFLECTION_PROMPT: reflection_prompt_email,
    Kind.REFERENCE_HEADS_UP: reference_heads_up_email,
    Kind.REFERENCE_THANKS: reference_thanks_email,
    Kind.FOLLOW_UP: follow_up_email,
    Kind.NUDGE: nudge_email,
    Kind.PREP_REVIEW: prep_review_email,
}


def build(reminder: Reminder) -> EmailMultiAlternatives:
    """The email for a reminder, ready to send (the dispatcher sends it)."""
    return BUILDERS[reminder.kind](reminder)
