"""The inbound mail server's handler: who may deliver, and what is kept.

aiosmtpd speaks SMTP; this decides. A recipient is checked at RCPT (so mail to a wrong
address is refused before its body is sent), the size by the server's data limit, and the
sender and rate when the message is stored (services.receive). The database is reached
through sync_to_async: the server's event loop never waits on it.
"""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.db import connections

from apps.inbox import services
from apps.inbox.models import MESSAGE_MAX_BYTES

logger = logging.getLogger(__name__)

# One forwarded message goes to one person's address; more is a sign of abuse.
MAX_RECIPIENTS = 5


# Each runs in a thread of the executor; its connection is closed when it is done, so that a
# server up for weeks holds no connection per thread it ever used.
def _check_recipient(address: str) -> None:
    try:
        services.check_recipient(address)
    finally:
        connections.close_all()


def _receive(recipients: list[str], mail_from: str, raw: bytes) -> None:
    try:
        for recipient in recipients:
            services.receive(recipient=recipient, mail_from=mail_from, raw=raw)
    finally:
        connections.close_all()


class InboxHandler:
    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 Too many recipients"
        try:
            await sync_to_async(_check_recipient, thread_sensitive=False)(address)
        except services.Refused as refusal:
            return f"{refusal.code} {refusal.reason}"
        except Exception:
            logger.exception("Could not check the recipient %r", address)
            return "451 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = raw.encode("utf-8", "replace")
        try:
            await sync_to_async(_receive, thread_sensitive=False)(envelope.rcpt_tos, envelope.mail_from, raw)
        except services.Refused as refusal:
            return f"{refusal.code} {refusal.reason}"
        except Exception:
            # The sender's server keeps the message and tries again: nothing is lost.
            logger.exception("Could not store a message for %r", envelope.rcpt_tos)
            return "451 Try again later"
        return "250 Message accepted"


def smtp_options() -> dict:
    # A minute of silence ends a connection: a client that opens many and says nothing
    # cannot hold the server's connections for the default five minutes each.
    return {
        "data_size_limit": MESSAGE_MAX_BYTES,
        "enable_SMTPUTF8": True,
        "decode_data": False,
        "timeout": 60,
    }
