"""Importing a file: start it, keep the review page's choices, queue it, and the import itself.

The import runs in a Celery task (apps/pipeline/tasks.py) so a long file shows
its progress; it creates every row's application or none of them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline.csv import dates, stages
from apps.pipeline.csv.checking import (
    DATE_FIELDS,
    ImportPreview,
    ImportRow,
    Reading,
    RowProblem,
    column_values,
    duplicate_key,
    preview_import,
)
from apps.pipeline.csv.columns import auto_mapping
from apps.pipeline.csv.reading import Table, read_table
from apps.pipeline.models import Application, ApplicationImport, Company, StageChange
from apps.pipeline.services import company_get_or_create, follow_up_plan
from apps.reminders import api as reminders

Status = ApplicationImport.Status
# One batch of follow-ups for each (reminders.BULK_BATCH is as large), so a batch costs four queries.
APPLICATION_BATCH = 1000
OUR_FAULT = (
    "Something went wrong on our side while importing, and nothing was added. "
    "Try again in a minute; if it happens again, let us know."
)


class AlreadyImported(Exception):
    pass


class RowsRefused(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


def application_import_start(
    *, owner: User, file_name: str, text: str, table: Table, read_as: dict[str, Any] | None = None
) -> ApplicationImport:
    return ApplicationImport.objects.create(
        owner=owner,
        file_name=file_name[:255],
        content=text,
        read_as=read_as or {"format": "csv", "encoding": "utf-8", "delimiter": table.delimiter},
        mapping=auto_mapping(table.headers),
    )


def application_import_map(*, application_import: ApplicationImport, mapping: dict[str, str]) -> None:
    application_import.mapping = mapping
    application_import.save(update_fields=["mapping"])


def application_import_configure(
    *,
    application_import: ApplicationImport,
    mapping: dict[str, str],
    date_order: str = "",
    stage_preset: str = "",
    stage_choices: dict[str, str] | None = None,
    import_duplicates: bool = False,
) -> None:
    """Keep the review page's choices. Stage choices add to those made before (an empty one
    clears its value's): a value the new mapping no longer shows keeps its choice for when it
    comes back."""
    application_import.mapping = mapping
    application_import.date_order = date_order if date_order in dates.ORDER_LABELS else ""
    application_import.stage_preset = stage_preset if stage_preset in stages.PRESETS else ""
    merged = {**application_import.stage_choices, **(stage_choices or {})}
    application_import.stage_choices = {key: stage for key, stage in merged.items() if stage}
    application_import.import_duplicates = import_duplicates
    application_import.save(
        update_fields=["mapping", "date_order", "stage_preset", "stage_choices", "import_duplicates"]
    )


def stored_table(application_import: ApplicationImport) -> Table:
    # The file was read with the same function when it was uploaded, so it reads again.
    return read_table(application_import.content, delimiter=application_import.read_as.get("delimiter", ","))


def existing_keys(owner: User) -> frozenset[tuple[str, str]]:
    held = Application.objects.for_user(owner).values_list("company__name", "role_title")
    return frozenset(duplicate_key(company, role) for company, role in held.iterator(chunk_size=5000))


def import_preview(application_import: ApplicationImport, table: Table | None = None) -> ImportPreview:
    """The file as it will be imported under the choices made so far: what the page shows, what the
    task imports."""
    table = table or stored_table(application_import)
    owner, mapping = application_import.owner, application_import.mapping
    date_reading = dates.read_date_order(
        (value for name in DATE_FIELDS for value in column_values(table, mapping, name)),
        time_zone=owner.time_zone,
        chosen=application_import.date_order,
    )
    stage_reading, lookup = stages.read_stages(
        column_values(table, mapping, "stage"),
        preset=application_import.stage_preset,
        choices=application_import.stage_choices,
    )
    reading = Reading(
        date_order=date_reading.order if date_reading else dates.DMY,
        zone=owner.zone,
        stages=lookup,
        existing=existing_keys(owner),
        skip_duplicates=not application_import.import_duplicates,
    )
    return preview_import(table, mapping, reading, date_reading=date_reading, stage_reading=stage_reading)


def application_import_queue(
    *, application_import: ApplicationImport, rows: int, now: dt.datetime | None = None
) -> bool:
    """Hand the import to a worker. Of two confirmations (a double click) only one queues it; an
    import that failed, or stalled with a worker that died, may be queued again."""
    now = now or timezone.now()
    stalled = now - ApplicationImport.STALLS_AFTER
    claimable = (
        Q(status__in=[Status.REVIEWING, Status.FAILED])
        | Q(status=Status.QUEUED, queued_at__lt=stalled)
        | Q(status=Status.IMPORTING, started_at__lt=stalled)
    )
    claimed = ApplicationImport.objects.filter(
        claimable, pk=application_import.pk, imported_at__isnull=True
    ).update(status=Status.QUEUED, queued_at=now, started_at=None, rows_total=rows, rows_done=0, failure="")
    if claimed:
        from apps.pipeline.tasks import import_applications

        transaction.on_commit(functools.partial(import_applications.delay, application_import.pk))
    return bool(claimed)


def application_import_run(*, import_id: int, now: dt.datetime | None = None) -> None:
    """The task's work: import a queued file, or record in plain words why nothing was added."""
    now = now or timezone.now()
    # A message delivered twice finds the import already taken, and does nothing.
    if not ApplicationImport.objects.filter(pk=import_id, status=Status.QUEUED).update(
        status=Status.IMPORTING, started_at=now
    ):
        return
    application_import = ApplicationImport.objects.select_related("owner").get(pk=import_id)
    progress = ImportProgress(import_id)
    try:
        with transaction.atomic():
            # Two files with the same rows imported at once must not both bring them in: the
            # second looks for duplicates once the first is in.
            _one_import_at_a_time(application_import.owner_id)
            preview = import_preview(application_import)
            if not preview.ready:
                _fail(import_id, _not_ready(preview))
                return
            application_import_perform(
                application_import=application_import,
                rows=preview.rows,
                now=now,
                progress=progress,
                skipped=preview.skipped,
            )
    except AlreadyImported:
        return
    except RowsRefused as refused:
        _fail(import_id, _refused_rows(refused.problems))
    except Exception:
        _fail(import_id, OUR_FAULT)
        raise
    finally:
        progress.close()


# The first key of the advisory locks this module takes ("CSV" in ASCII); the second is the owner.
IMPORT_LOCK = 0x435356


def _one_import_at_a_time(owner_id: int) -> None:
    """Wait for the owner's other import to commit, if one is running. On SQLite (the embedded
    default) a single writer at a time already makes them wait."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, owner_id])


def _not_ready(preview: ImportPreview) -> str:
    if preview.unknown_stages:
        return "Some stages in the file have no stage of ours chosen yet, so nothing was imported."
    if preview.problems:
        return _refused_rows(preview.problems)
    return "Every row of this file is one you already have, so there was nothing to import."


def _refused_rows(problems: list[RowProblem]) -> str:
    shown = " ".join(f"Row {problem.number}: {' '.join(problem.reasons)}" for problem in problems[:5])
    more = f" And {len(problems) - 5} more." if len(problems) > 5 else ""
    noun = "row" if len(problems) == 1 else "rows"
    return f"Nothing was imported: {len(problems)} {noun} could not be. {shown}{more}"


def _fail(import_id: int, message: str) -> None:
    ApplicationImport.objects.filter(pk=import_id, status=Status.IMPORTING).update(
        status=Status.FAILED, failure=message, rows_done=0
    )


class ImportProgress:
    """Writes how far an import has got where the review page can read it at once.

    The import's rows appear together when its transaction commits, so its
    progress is written outside that transaction, on a connection of its own.
    SQLite (the embedded default) allows one writer at a time, so there the bar
    just says the import is under way.
    """

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self._connection: Any = None

    def __call__(self, done: int) -> None:
        if connection.vendor != "postgresql":
            return
        if self._connection is None:
            self._connection = connection.copy()
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ApplicationImport._meta.db_table} SET rows_done = %s WHERE id = %s",  # noqa: S608
                [done, self.import_id],
            )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def application_import_perform(
    *,
    application_import: ApplicationImport,
    rows: list[ImportRow],
    now: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
    skipped: int = 0,
) -> int:
    """Create every row's application, or none of them; an upload is imported at most once.

    1. Build and validate every application before writing any.
    2. Create companies, then applications with their first history lines and
       follow-ups in bulk, a batch at a time, reporting progress after each.
    3. Last, claim the upload with a conditional update: of two imports running
       at once (a message delivered twice), the second waits on the row lock,
       then finds it taken and rolls back all it made. Claiming last keeps the
       row unlocked while the progress is written to it from outside.
    """
    now = now or timezone.now()
    owner = application_import.owner
    applications = _build_applications(
        owner=owner, rows=rows, zone=owner.zone, now=now, application_import=application_import
    )
    progress = progress or (lambda done: None)
    with transaction.atomic():
        companies, made = _companies_for_import(
            owner=owner, names=[row.values["company_name"] for row in rows]
        )
        for application, row in zip(applications, rows, strict=True):
            application.company = companies[row.values["company_name"].lower()]
        # In bulk, a batch at a time with its progress: each batch's applications, their first
        # history lines and follow-ups (one settings read first, then two queries a batch).
        preferences = reminders.settings_for(owner)
        for start in range(0, len(applications), APPLICATION_BATCH):
            batch = Application.objects.bulk_create(applications[start : start + APPLICATION_BATCH])
            StageChange.objects.bulk_create(
                StageChange(
                    application=application,
                    from_stage="",
                    to_stage=application.stage,
                    changed_at=application.created_at,
                )
                for application in batch
            )
            reminders.schedule_many(
                follow_up_plan(application=application, preferences=preferences, now=now)
                for application in batch
            )
            progress(start + len(batch))
        # Later than every row's updated_at, so an undo can tell which were changed since.
        finished = max(now, timezone.now())
        claimed = ApplicationImport.objects.filter(pk=application_import.pk, imported_at__isnull=True).update(
            imported_at=finished,
            status=Status.DONE,
            imported_count=len(applications),
            skipped_count=skipped,
            rows_done=len(applications),
            created_company_ids=made,
            failure="",
        )
        if not claimed:
            raise AlreadyImported
    application_import.imported_at = finished
    application_import.status = Status.DONE
    application_import.imported_count = len(applications)
    return len(applications)


# These mirror services.application_create field for field. The service spends
# several queries and a savepoint on each row (about 35 seconds for 10,000 rows
# on this machine), so the import makes the same rows in bulk. A rule added to
# the service (a reminder to schedule, say) must be added here too.
def _build_applications(
    *,
    owner: User,
    rows: list[ImportRow],
    zone: ZoneInfo,
    now: dt.datetime,
    application_import: ApplicationImport | None = None,
) -> list[Application]:
    applications: list[Application] = []
    problems: list[RowProblem] = []
    for row in rows:
        values = dict(row.values)
        del values["company_name"]
        applied_on = values.pop("applied_on")
        # Noon, so the day stays the same day in every nearby time zone.
        created_at = dt.datetime.combine(applied_on, dt.time(12), tzinfo=zone) if applied_on else now
        application = Application(
            owner=owner,
            stage_changed_at=created_at,
            created_at=created_at,
            created_by_import=application_import,
            **values,
        )
        try:
            # Our parsers already enforce these; the model's own checks are the safety net.
            application.full_clean(
                exclude=["owner", "company", "created_by_import"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            problems.append(RowProblem(row.number, [m for ms in error.message_dict.values() for m in ms]))
        applications.append(application)
    if problems:
        raise RowsRefused(problems)
    return applications


def companies_for_names(*, owner: User, names: Iterable[str]) -> dict[str, Company]:
    """The owner's company for each name, keyed lower-case: matched without regard to case, made once."""
    return _companies_for_import(owner=owner, names=names)[0]


def _companies_for_import(*, owner: User, names: Iterable[str]) -> tuple[dict[str, Company], list[int]]:
    """The companies for the names, and the ids of those made here (an undo removes them again)."""
    spelled: dict[str, str] = {}
    for name in names:
        # The first spelling in the file names a new company.
        spelled.setdefault(name.lower(), name)
    found = _companies_named(owner, spelled)
    held = {company.pk for company in found.values()}
    missing = [Company(owner=owner, name=name) for key, name in spelled.items() if key not in found]
    if missing:
        # A company made meanwhile by another request is skipped here and found below.
        Company.objects.bulk_create(missing, ignore_conflicts=True, batch_size=1000)
        found = _companies_named(owner, spelled)
    for key, name in spelled.items():
        if key not in found:
            # Python's and Postgres's lower case differ for a few letters; the service decides.
            found[key] = company_get_or_create(owner=owner, name=name)
    return found, sorted({company.pk for company in found.values()} - held)


def _companies_named(owner: User, spelled: dict[str, str]) -> dict[str, Company]:
    matches = Company.objects.for_user(owner).annotate(key=Lower("name")).filter(key__in=list(spelled))
    found: dict[str, Company] = {}
    for company in matches.order_by("pk"):
        found.setdefault(company.name.lower(), company)
    return found
