"""`manage.py inbox_server`: receive forwarded mail on a local port until stopped."""

from __future__ import annotations

import asyncio
import signal

from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.core.management.base import BaseCommand

from apps.inbox.smtp import InboxHandler, smtp_options


class Command(BaseCommand):
    help = "Run the inbound mail server: forwarded invitations and replies come in here."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=settings.INBOX_HOST)
        parser.add_argument("--port", type=int, default=settings.INBOX_PORT)

    def handle(self, *args, host: str, port: int, **options) -> None:
        asyncio.run(self._serve(host, port))

    async def _serve(self, host: str, port: int) -> None:
        loop = asyncio.get_running_loop()
        handler = InboxHandler()
        server = await loop.create_server(
            lambda: SMTP(handler, hostname=settings.INBOX_DOMAIN, **smtp_options()), host=host, port=port
        )
        stopped = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopped.set)
        self.stdout.write(f"Receiving mail for @{settings.INBOX_DOMAIN} on {host}:{port}", ending="\n")
        self.stdout.flush()
        async with server:
            await stopped.wait()
