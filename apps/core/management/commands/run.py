"""`manage.py run`: the whole app in one terminal.

Migrates, then starts the web server, a Celery worker with an embedded beat
and the inbound mail server, prints the address, and stops them on Ctrl-C. Each child runs in its
own process group so that stopping it also stops whatever it spawned (the
runserver auto-reloader, the worker's pool).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


class Command(BaseCommand):
    help = "Migrate, then run the web server and a Celery worker with beat until Ctrl-C."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-reload", action="store_true", help="Do not restart the web server when code changes."
        )

    def handle(self, *args, host: str, port: int, no_reload: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        web_command = [sys.executable, str(MANAGE_PY), "runserver", f"{host}:{port}"]
        if no_reload:
            web_command.append("--noreload")
        worker_command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--loglevel=INFO",
            "--concurrency=2",
            "--schedule",
            settings.CELERY_BEAT_SCHEDULE_FILENAME,
        ]
        inbox_command = [sys.executable, str(MANAGE_PY), "inbox_server", "--host", host]
        children = {
            "web server": subprocess.Popen(web_command, start_new_session=True),
            "worker": subprocess.Popen(worker_command, start_new_session=True),
            "mail server": subprocess.Popen(inbox_command, start_new_session=True),
        }

        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(self.style.SUCCESS(f"\nSecond Round is running at http://{host}:{port}/"))
        if getattr(settings, "EMAIL_FILE_PATH", None):
            self.stdout.write(f"Mail it sends is written to {settings.EMAIL_FILE_PATH}/")
        self.stdout.write(f"Forwarded mail is taken on {host}:{settings.INBOX_PORT} (SMTP)")
        self.stdout.write("Press Ctrl-C to stop.\n")

        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"The {name} stopped (exit code {child.returncode}); stopping.")
                    exit_code = child.returncode or 1
                    stopping = True
            time.sleep(0.5)

        # The web server's auto-reloader leaves its real server running if only
        # the parent is stopped, so the whole group is told; the worker is told
        # alone, so that it shuts its own pool down cleanly (a warm shutdown).
        _stop(children["web server"], whole_group=True)
        _stop(children["worker"], whole_group=False)
        _stop(children["mail server"], whole_group=False)
        if exit_code:
            sys.exit(exit_code)


def _stop(child: subprocess.Popen, *, whole_group: bool, grace_seconds: float = 15) -> None:
    """Ask a child to stop; kill whatever is left of its group after the grace period."""
    with contextlib.suppress(ProcessLookupError):
        if whole_group:
            os.killpg(child.pid, signal.SIGTERM)
        else:
            child.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=grace_seconds)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
