"""Import benchmark: a 10,000-row CSV import and the heavy user's account import, timed.

    .venv/bin/python bench/imports.py                       # 10,000 CSV rows; the data generator's heavy user
    .venv/bin/python bench/imports.py --csv-rows 20000 --applications 500 --interviews 1200 \\
        --reflections 1000 --contacts 300 --reminders 5000

Each import runs in this process the way its view runs it, with the database queries
counted by an execute wrapper (it keeps no SQL, so counting costs no time):

  csv_upload            the upload form: decode and read the file, store it for review
  csv_import            the confirm: read the stored file again, check every row, write them all
  account_import        the heavy user's export (JSON, as downloaded) into an empty account
  account_import_again  the same file into that account again: every row is found already there

One JSON line each on stdout: rows, seconds, queries, rows per second. The tests count the
queries too (tests/pipeline/test_csv.py, tests/data/test_import_queries.py); only the times
are new here. Progress goes to stderr.

It uses a database of its own (DATABASE_URL, default second_round_bench_imports), which it
creates if missing and migrates. The heavy user (apps/core/seed.py, the sizes in its address)
is seeded once and kept for later runs; the accounts imported into are made for the run and
deleted after it, and at the start of the next one if a run was cut short.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/second_round_bench_imports")
os.environ.update(DATABASE_URL=DATABASE, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false")
os.environ.setdefault("SECRET_KEY", "bench-imports-only-not-a-real-secret-0123456789abcdef")

SIZES = ("applications", "interviews", "reflections", "contacts", "reminders")
DOMAIN = "bench-imports.example.com"
# The accounts imported into; the heavy user is heavy-<sizes>@DOMAIN.
TARGETS = (f"csv@{DOMAIN}", f"account@{DOMAIN}")
CSV_HEADER = (
    "Company,Role,Stage,Applied on,Decision by,Job link,Location,Work mode,Salary min,Salary max,"
    "Currency,Source,Excitement,Next step,Notes,Archived"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def create_database() -> None:
    name = DATABASE.rsplit("/", 1)[1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class QueryCounter:
    """connection.execute_wrapper hook: counts each statement sent, keeps nothing else."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def measured(name: str, rows: int) -> Iterator[None]:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
    line = {
        "measure": name,
        "rows": rows,
        "seconds": round(seconds, 2),
        "queries": counter.count,
        "rows_per_s": round(rows / seconds),
    }
    print(json.dumps(line), flush=True)


def delete_targets() -> None:
    from apps.core import seed

    for email in TARGETS:
        seed.account_delete(email=email)


def new_account(email: str):
    from apps.accounts.models import User

    return User.objects.create_user(email=email, password=None, first_name="", time_zone="UTC")


def csv_file(rows: int) -> bytes:
    """The same shape as the test's file: 300 companies, one row in ten archived, a decision
    date a month ahead (so each open application also gets its follow-up reminder)."""
    decision_by = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    lines = [CSV_HEADER]
    for n in range(rows):
        lines.append(
            f"Company {n % 300},Engineer {n},Second interview,2025-01-{n % 28 + 1:02d},{decision_by},"
            f"https://jobs.example.com/{n},London,Hybrid,50000,60000,GBP,Board,{n % 5 + 1},Call back,"
            f'"Notes for {n}, with a comma",{"yes" if n % 10 == 0 else "no"}'
        )
    return ("\n".join(lines) + "\n").encode()


def bench_csv(rows: int) -> None:
    from apps.pipeline import csv_io

    raw = csv_file(rows)
    owner = new_account(TARGETS[0])
    with measured("csv_upload", rows):
        text, table = csv_io.read_upload(raw)
        upload = csv_io.application_import_start(
            owner=owner, file_name="applications.csv", text=text, table=table
        )
    with measured("csv_import", rows):
        # As the review page's confirm does it: the file was stored as text, and is read again.
        preview = csv_io.preview_import(csv_io.read_table(upload.content), upload.mapping)
        if preview.problems:
            raise SystemExit(f"the generated file has bad rows: {preview.problems[:3]}")
        imported = csv_io.application_import_perform(application_import=upload, rows=preview.rows)
    if imported != rows:
        raise SystemExit(f"imported {imported} applications of {rows}")


def heavy_user(sizes):
    from apps.accounts.models import User
    from apps.core import seed

    email = (
        f"heavy-{sizes.applications}-{sizes.interviews}-{sizes.reflections}-"
        f"{sizes.contacts}-{sizes.reminders}@{DOMAIN}"
    )
    user = User.objects.filter(email=email).first()
    if user is None:
        log(f"seeding {email} (once; later runs reuse it)")
        report = seed.seed_heavy_user(email=email, sizes=sizes)
        log(f"seeded in {report.seconds:.1f} s: {report.summary()}")
        user = User.objects.get(email=email)
    return user


def bench_account(sizes) -> None:
    from django.utils import timezone

    from apps.portability import exporter, schema, services

    source = heavy_user(sizes)
    raw = b"".join(exporter.json_pieces(user=source, now=timezone.now()))
    document = json.loads(raw)
    rows = sum(len(document[table.key]) for table in schema.TABLES)
    log(f"exported {rows:,} rows ({len(raw) / 1e6:.1f} MB)")
    target = new_account(TARGETS[1])

    def import_it() -> int:
        return services.account_import(user=target, raw=raw).created_total

    with measured("account_import", rows):
        created = import_it()
    if created != rows:
        raise SystemExit(f"the import created {created} rows of the file's {rows}")
    with measured("account_import_again", rows):
        created = import_it()
    if created:
        raise SystemExit(f"the second import created {created} rows; it should find them all there")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-rows", type=int, default=10_000, help="rows in the CSV file (at most 20,000)")
    for name in SIZES:
        parser.add_argument(f"--{name}", type=int, help=f"the heavy user's {name} (default: the generator's)")
    options = parser.parse_args()

    create_database()
    setup()
    from apps.core import seed

    given = {name: getattr(options, name) for name in SIZES if getattr(options, name) is not None}
    sizes = seed.Sizes(**given)
    sizes.check()
    delete_targets()
    try:
        bench_csv(options.csv_rows)
        bench_account(sizes)
    finally:
        log("deleting the accounts imported into")
        delete_targets()


if __name__ == "__main__":
    main()
