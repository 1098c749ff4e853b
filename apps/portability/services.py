"""Writes that act on a whole account: bringing an export in, and deleting everything."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline.models import Application, Company
from apps.portability import emails, importer
from apps.reminders.models import Reminder

# Session stores whose sessions can be listed; a cache-only store cannot be,
# and there a deleted user's session simply stops resolving to anyone.
LISTABLE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def account_import(*, user: User, raw: bytes, now: dt.datetime | None = None) -> importer.ImportReport:
    """Check an export file, then bring in everything new in it, all or nothing.

    Raises importer.ImportRefused, with every problem found, when any row is wrong.
    """
    document = importer.read_document(raw)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # One import at a time per account: a double-clicked upload waits
            # here and then finds every row already imported.
            user = User.objects.select_for_update().get(pk=user.pk)
            plan = importer.check_document(user=user, document=document)
            return importer.write_plan(user=user, plan=plan, now=now)
    except IntegrityError:
        # Only a change made in another tab between the check and the write
        # (a company added under the same name) gets here; all was rolled back.
        raise importer.ImportRefused(
            [
                "Something in your account changed while the file was being imported. "
                "Nothing was imported: try again."
            ]
        ) from None


def account_delete(*, user: User) -> None:
    """Delete the account and everything in it, then tell the address it belonged to.

    Applications protect their companies, so they go before them; reminders go
    first, so none still waiting is picked up by the sender meanwhile.
    """
    email, name, pk = user.email, user.first_name, user.pk
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=pk)
        Reminder.objects.filter(owner=locked).delete()
        Application.objects.filter(owner=locked).delete()
        Company.objects.filter(owner=locked).delete()
        EmailAddress.objects.filter(user=locked).delete()
        locked.delete()
        _delete_sessions(user_pk=pk)
        transaction.on_commit(lambda: emails.send_account_deleted(email=email, name=name))


def _delete_sessions(*, user_pk: int) -> int:
    """End the account's sessions on every device, not only the one that asked."""
    if settings.SESSION_ENGINE not in LISTABLE_SESSION_ENGINES:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    signed_in = str(user_pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000)
        if session.get_decoded().get(SESSION_KEY) == signed_in
    ]
    for key in keys:
        store(session_key=key).delete()
    return len(keys)
