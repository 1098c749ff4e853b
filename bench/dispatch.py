"""Dispatch benchmark: real Celery workers on Redis email 100,000 due reminders to a
local SMTP server. Prints reminders/s beside the SMTP server's own intake rate measured
in the same run, and checks that none was lost or sent twice.

    .venv/bin/python bench/dispatch.py [--reminders 100000 --users 10000 --concurrency 4] [--kills 10]

With --kills N it SIGKILLs a busy worker process N times during the run (the pool
starts a new one each time) and prints the duplicates per kill: the message in
flight when a process dies may go out twice (at-least-once); nothing may be lost.
The lease is shortened for that run so the dead processes' claims come back soon.

It uses a database of its own (DATABASE_URL, default second_round_bench_dispatch), which
it creates, migrates and empties; loopback only; everything it starts, it stops.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import random
import signal
import smtplib
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/second_round_bench_dispatch")
BROKER = "redis://127.0.0.1:6379/11"
os.environ.update(DATABASE_URL=DATABASE, CELERY_BROKER_URL=BROKER, DJANGO_SETTINGS_MODULE="config.settings")
os.environ.setdefault("SECRET_KEY", "bench-dispatch-only-not-a-real-secret-0123456789abcdef")


class Inbox:
    """Counts what the SMTP server accepted, by the reminder id each message names."""

    def __init__(self) -> None:
        self.ids: collections.Counter[int] = collections.Counter()
        self.other = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        header = b"X-Second-Round-Reminder: "
        start = envelope.content.find(header)
        with self.lock:
            if start < 0:
                self.other += 1
            else:
                end = envelope.content.find(b"\r\n", start)
                self.ids[int(envelope.content[start + len(header) : end])] += 1
        return "250 OK"


def create_database() -> None:
    name = DATABASE.rsplit("/", 1)[1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)


def seed(users: int, reminders: int) -> None:
    """Users with confirmed addresses and no quiet hours, each with one application."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.pipeline.models import Application, Company
    from apps.reminders.models import Kind, Reminder, ReminderSettings

    call_command("migrate", verbosity=0)
    Reminder.objects.all().delete()
    Application.objects.all().delete()
    Company.objects.all().delete()
    User.objects.filter(email__endswith="@bench.example.com").delete()
    now = timezone.now()
    people = User.objects.bulk_create(
        (User(email=f"u{n}@bench.example.com", time_zone="UTC") for n in range(users)), batch_size=2000
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people), batch_size=2000
    )
    ReminderSettings.objects.bulk_create(
        (ReminderSettings(owner=u, quiet_from=dt.time(0), quiet_until=dt.time(0)) for u in people),
        batch_size=2000,
    )
    companies = Company.objects.bulk_create(
        (Company(owner=u, name="Bench Ltd") for u in people), batch_size=2000
    )
    applications = Application.objects.bulk_create(
        (
            Application(owner=u, company=c, role_title="Engineer", decision_expected_on=now.date())
            for u, c in zip(people, companies, strict=True)
        ),
        batch_size=2000,
    )
    due = now - dt.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        (
            Reminder(
                owner_id=applications[n % users].owner_id,
                kind=Kind.FOLLOW_UP,
                due_at=due,
                next_try_at=due,
                application=applications[n % users],
                dedupe_key=f"bench:{n}",
            )
            for n in range(reminders)
        ),
        batch_size=5000,
    )


def smtp_intake_rate(port: int, messages: int, senders: int) -> float:
    """How fast the server takes plain messages from `senders` parallel connections."""

    def send(count: int) -> None:
        with smtplib.SMTP("127.0.0.1", port) as client:
            for n in range(count):
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = "a@bench", "b@bench", f"probe {n}"
                message.set_content("A plain message, to measure the server alone.")
                client.send_message(message)

    threads = [threading.Thread(target=send, args=(messages // senders,)) for _ in range(senders)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (messages // senders * senders) / (time.perf_counter() - started)


def kill_one_sender(worker_pid: int) -> int:
    """SIGKILL one of the worker's pool processes (a sender), as the kernel's OOM killer might."""
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    if not children:
        return 0
    os.kill(int(random.choice(children)), signal.SIGKILL)
    return 1


def sent_count() -> int:
    from apps.reminders.models import Reminder, Status

    return Reminder.objects.filter(status=Status.SENT).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many seconds")
    parser.add_argument("--kills", type=int, default=0, help="worker processes to SIGKILL mid-run")
    options = parser.parse_args()

    import redis
    from aiosmtpd.controller import Controller

    from tests.smtp import free_port

    create_database()
    seed(options.users, options.reminders)
    redis.Redis.from_url(BROKER).flushdb()
    inbox = Inbox()
    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    intake = smtp_intake_rate(port, messages=4000, senders=options.concurrency)
    inbox.other = 0

    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "REMINDER_DISPATCH_SECONDS": "1",
        "REMINDER_PARALLEL_SENDERS": str(options.concurrency),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(ROOT / "var" / "bench-dispatch"),
    }
    if options.kills:
        env["REMINDER_LEASE_SECONDS"] = "8"
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    # The beat apart from the worker, as in production: every child of the worker is then a sender.
    worker = subprocess.Popen(
        [*celery, "worker", "--loglevel=WARNING", f"--concurrency={options.concurrency}"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    beat = subprocess.Popen(
        [*celery, "beat", "--loglevel=WARNING", "--schedule", str(ROOT / "var" / "bench-dispatch-beat")],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    launched = time.perf_counter()
    killed = 0
    try:
        # The clock starts with the first delivery, so the worker's start-up is not counted.
        while not inbox.ids and time.perf_counter() - launched < 120:
            time.sleep(0.05)
        started = time.perf_counter()
        while time.perf_counter() - started < options.timeout:
            time.sleep(0.5)
            # Kills spread over the run, none in its first or last stretch.
            next_kill_at = options.reminders * (killed + 1) / (options.kills + 2)
            if killed < options.kills and len(inbox.ids) > next_kill_at:
                killed += kill_one_sender(worker.pid)
            if sent_count() >= options.reminders:
                break
        elapsed = time.perf_counter() - started
    finally:
        for process in (worker, beat):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        server.stop()

    received = inbox.ids
    duplicates = sum(count - 1 for count in received.values() if count > 1)
    rate = options.reminders / elapsed
    print(
        json.dumps(
            {
                "reminders": options.reminders,
                "seconds": round(elapsed, 1),
                "reminders_per_s": round(rate, 1),
                "smtp_intake_per_s": round(intake, 1),
                "ratio": round(rate / intake, 2),
                "lost": options.reminders - len(received),
                "duplicates": duplicates,
                "marked_sent": sent_count(),
                "kills": killed,
                "duplicates_per_kill": round(duplicates / killed, 2) if killed else None,
            }
        )
    )


if __name__ == "__main__":
    main()
