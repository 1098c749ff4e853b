"""Signed one-click links in reminder emails: done, snooze, open.

A token is the reminder's id, its owner's id and the action, signed with the
site's secret and a salt of its own (so no other signed value in the project
can be passed off as a link), and stamped with the time it was made. It works
for LINK_MAX_AGE; after that the person acts from the reminders page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.reminders.models import Reminder

SALT = "second-round.reminder-link"
LINK_MAX_AGE = dt.timedelta(days=14)

DONE = "done"
SNOOZE = "snooze"
OPEN = "open"
ACTIONS = (DONE, SNOOZE, OPEN)


class LinkInvalid(Exception):
    """The token was altered, cut short, or names a reminder it was not made for."""


class LinkExpired(Exception):
    """The token is genuine but older than LINK_MAX_AGE."""


@dataclass(frozen=True)
class LinkClaim:
    reminder_id: int
    owner_id: int
    action: str


def make_token(reminder: Reminder, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown reminder link action: {action!r}")
    # A list, not a dict: the token lands in a URL and should stay short.
    return signing.dumps([reminder.pk, reminder.owner_id, action], salt=SALT)


def _claim(token: str) -> LinkClaim:
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:  # a subclass of BadSignature: caught first
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    # Only we can sign, so a bad shape means a token from an older format.
    match payload:
        case [int(reminder_id), int(owner_id), str(action)] if action in ACTIONS:
            return LinkClaim(reminder_id=reminder_id, owner_id=owner_id, action=action)
    raise LinkInvalid


def read_token(token: str) -> tuple[int, str]:
    """The reminder id and action a token names; LinkInvalid or LinkExpired otherwise."""
    claim = _claim(token)
    return claim.reminder_id, claim.action


def follow(token: str) -> tuple[Reminder, str]:
    """The reminder a token may act on, and the action.

    Raises LinkInvalid, LinkExpired, or Reminder.DoesNotExist when the
    reminder (or the whole account) has been deleted since.
    """
    claim = _claim(token)
    reminder = Reminder.objects.select_related(
        "owner", "application__company", "interview__application__company"
    ).get(pk=claim.reminder_id)
    # The owner is signed too: a token acts on its own person's reminder only,
    # and stops working when that account is switched off.
    if reminder.owner_id != claim.owner_id or not reminder.owner.is_active:
        raise LinkInvalid
    return reminder, claim.action


# --- Reply addresses: answering a reminder email by email --------------------------------

REPLY_SALT = "second-round.reminder-reply"
_REPLY_LOCAL = re.compile(r"^r-(?P<id>[0-9]{1,18})-(?P<signature>[0-9a-f]{20})$")


def _reply_signature(reminder_id: int, owner_id: int) -> str:
    # Hex, not base64: mail systems may lower-case the part of an address before the @.
    return salted_hmac(REPLY_SALT, f"{reminder_id}:{owner_id}", algorithm="sha256").hexdigest()[:20]


def reply_address(reminder: Reminder) -> str:
    """The Reply-To of a reminder's email: the inbound mail server knows it, and whose it is."""
    local = f"r-{reminder.pk}-{_reply_signature(reminder.pk, reminder.owner_id)}"
    return f"{local}@{settings.INBOX_DOMAIN}"


def reminder_replied_to(local_part: str) -> Reminder | None:
    """The reminder a reply address names, if its signature holds and its owner is active."""
    found = _REPLY_LOCAL.match(local_part.lower())
    if not found:
        return None
    reminder = (
        Reminder.objects.select_related("owner", "interview__application__company")
        .filter(pk=int(found["id"]))
        .first()
    )
    if reminder is None or not reminder.owner.is_active:
        return None
    expected = _reply_signature(reminder.pk, reminder.owner_id)
    return reminder if constant_time_compare(expected, found["signature"]) else None


def action_path(reminder: Reminder, action: str) -> str:
    return reverse("reminders:reminder_link", args=[make_token(reminder, action)])


def action_url(reminder: Reminder, action: str) -> str:
    """The absolute link for an email: mail apps have no page to resolve a path against."""
    return settings.SITE_URL + action_path(reminder, action)
