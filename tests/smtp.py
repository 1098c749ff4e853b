"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """Collects every message the server accepts; optionally slow, or refusing.

    `refuse` answers every message with a temporary 451; `refuse_with` with
    the reply given (a permanent "550 ..." say). `delay_seconds` slows every
    message, `slow_for` only those to the addresses it maps to a delay; a slow
    message keeps only its own connection waiting, as a real server does.
    """

    def __init__(self, delay_seconds: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        self.delay_seconds = delay_seconds
        self.slow_for: dict[str, float] = {}
        self.refuse = False
        self.refuse_with = ""
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "451 Try again later"
        if self.refuse_with:
            return self.refuse_with
        delay = max([self.delay_seconds, *(self.slow_for.get(to, 0.0) for to in envelope.rcpt_tos)])
        if delay:
            await asyncio.sleep(delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def reminder_ids(self) -> list[int]:
        with self._lock:
            return [int(m["X-Second-Round-Reminder"]) for m in self.messages if m["X-Second-Round-Reminder"]]

    def count_to(self, address: str) -> int:
        with self._lock:
            return sum(1 for m in self.messages if m["To"] == address)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)} in {timeout}s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, delay_seconds: float = 0.0) -> None:
        self.inbox = Inbox(delay_seconds)
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
