"""The import through a real Celery worker process on the test broker, its page polled as htmx polls it."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from apps.pipeline.models import Application, ApplicationImport
from tests.helpers import app_process_env, stop_process_group
from tests.pipeline.test_csv import latest_import, page_text, review_url, upload

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def celery_workers(tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen]]:
    """start(): a Celery worker (no beat) on this test's database and broker, in a process group
    of its own; every one started is stopped on leaving. The data must be committed for it to
    see: use it from a transactional test."""
    # Its configuration is the test's database and broker, nothing else.
    env = app_process_env(
        tmp_path / "var", CELERY_BROKER_URL=settings.CELERY_BROKER_URL, EMAIL_URL="locmem://"
    )
    log_path = tmp_path / "worker.log"
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            stop_process_group(process)
        if log_path.exists():
            print("--- worker log (last 40 lines) ---", *log_path.read_text().splitlines()[-40:], sep="\n")


@pytest.fixture
def import_worker(transactional_db, tmp_path) -> Iterator[Callable[[], subprocess.Popen]]:
    with celery_workers(tmp_path) as start:
        yield start


def wait_for(condition: Callable[[], bool], what: str, *, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {timeout:.0f}s for {what}")
        time.sleep(0.2)


def test_a_real_worker_imports_the_file_while_the_page_shows_its_progress(import_worker, owner):
    client = Client()
    client.force_login(owner)
    rows = "".join(f"Company {n % 40},Engineer {n},Phone screen,14/03/2025\n" for n in range(3_000))
    upload(client, f"Company,Role,Stage,Applied on\n{rows}".encode())
    application_import = latest_import(owner)
    url = review_url(application_import)

    client.post(url, {"action": "import"})
    waiting = client.get(url, headers={"HX-Request": "true"})
    worker = import_worker()
    pages: list[str] = []

    def finished() -> bool:
        assert worker.poll() is None, "the worker exited"
        pages.append(page_text(client.get(url, headers={"HX-Request": "true"})))
        return "Imported" in pages[-1]

    wait_for(finished, "the worker to import the file")

    assert "Importing 3,000 applications… Waiting for the importer to pick it up" in page_text(waiting)
    assert "Imported 3,000 applications." in pages[-1]
    application_import.refresh_from_db()
    assert (application_import.status, application_import.rows_done) == (ApplicationImport.Status.DONE, 3_000)
    assert Application.objects.for_user(owner).count() == 3_000
    assert Application.objects.for_user(owner).filter(created_by_import=application_import).count() == 3_000
