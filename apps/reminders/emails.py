"""Reminder emails: the kernel renders, each kind's owning app says what to say.

`build(reminder)` starts from the context every reminder email has (who, what,
when, the signed links), adds what the kind's context function in its owning
app returns (kinds.py names it), and renders the kind's three templates:
`<emails>_subject.txt`, `<emails>.txt` and `<emails>.html`, the bodies extending
`reminders/email/base.txt` and `base.html`. Ready-to-send messages the person
can copy (a thank-you note, a follow-up) are made with `draft()`.

Every message goes to the reminder's owner, shows times in the owner's own time
zone (the worker that sends it runs in UTC), and carries signed links to mark
the reminder done, snooze it, or open it in the app.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.reminders import kinds, links
from apps.reminders.models import Reminder

REMINDER_HEADER = "X-Second-Round-Reminder"
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


# --- Shared pieces ---------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def round_name_of(interview: Any) -> str:
    if interview is None:
        return ""
    return ROUND_NAMES.get(interview.round_number, f"round {interview.round_number}")


def signature_of(owner: User) -> str:
    return owner.get_full_name() or owner.first_name


def _action_links(reminder: Reminder) -> dict[str, str]:
    return {action: links.action_url(reminder, action) for action in links.ACTIONS}


def base_context(reminder: Reminder) -> Context:
    """What every reminder email can say: who, what it is about, when, and its links."""
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
        "round_name": round_name_of(interview),
        "signature": signature_of(reminder.owner),
        "links": _action_links(reminder),
        "settings_url": absolute(reverse("accounts:settings")),
        "replies": settings.INBOX_REPLIES,
        "application_url": (
            absolute(reverse("pipeline:application_detail", args=[application.pk])) if application else ""
        ),
    }


def _render(template: str, context: Context, zone: zoneinfo.ZoneInfo) -> str:
    # Dates in templates are shown in the current time zone: make it the owner's.
    with timezone.override(zone):
        return render_to_string(template, context)


def _tidy_text(text: str) -> str:
    """Template tags leave blank lines and trailing spaces; a plain email should not."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def draft(template: str, subject: str, context: Context, to: str = "") -> Draft:
    """A note for the person to send, rendered from a text template in their time zone."""
    body = _tidy_text(_render(template, context, context["owner"].zone)).strip()
    return Draft(subject=subject, body=body, to=to)


def _message(templates: str, reminder: Reminder, context: Context) -> EmailMultiAlternatives:
    owner = reminder.owner
    subject = " ".join(_render(f"{templates}_subject.txt", context, owner.zone).split())
    context = {**context, "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=_tidy_text(_render(f"{templates}.txt", context, owner.zone)),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[owner.email],
        headers={
            REMINDER_HEADER: str(reminder.pk),
            # A page, not a one-click endpoint: the person chooses there which
            # reminders to keep, so no List-Unsubscribe-Post.
            "List-Unsubscribe": f"<{context['settings_url']}>",
            "Auto-Submitted": "auto-generated",
        },
        # A reply reaches the inbound mail server: "done" closes the reminder, and a reply to
        # the reflection prompt is added to the reflection (apps/inbox).
        reply_to=[links.reply_address(reminder)] if settings.INBOX_REPLIES else None,
    )
    message.attach_alternative(_render(f"{templates}.html", context, owner.zone), "text/html")
    return message


def draft_of(reminder: Reminder) -> Draft | None:
    """The message a reminder's email offers the person to send, or None for a kind with none."""
    context = base_context(reminder)
    context |= kinds.get(reminder.kind).context_function()(reminder, context)
    found = context.get("draft")
    return found if isinstance(found, Draft) else None


def build(reminder: Reminder) -> EmailMultiAlternatives:
    """The email for a reminder, ready to send; any error here is the dispatcher's to record."""
    row = kinds.get(reminder.kind)
    context = base_context(reminder)
    context |= row.context_function()(reminder, context)
    return _message(row.emails, reminder, context)
