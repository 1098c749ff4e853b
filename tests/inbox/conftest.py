"""The inbox's real SMTP handler on a free loopback port, for tests that speak SMTP to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from apps.inbox.smtp import InboxHandler, smtp_options
from tests.inbox.invite_mail import free_port


class _Inbox(Controller):
    def factory(self):
        return SMTP(self.handler, hostname="inbox.test", **smtp_options())


@pytest.fixture
def server(transactional_db) -> Iterator[int]:
    """The port it listens on (127.0.0.1). The data must be committed for its threads to see."""
    port = free_port()
    controller = _Inbox(InboxHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()
