"""The pipeline: companies, applications with their stage history, interviews."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Stage(models.TextChoices):
    """Where an application stands. The order is the order of a search."""

    INTERESTED = "interested", "Interested"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    FIRST_INTERVIEW = "first_interview", "First interview"
    SECOND_INTERVIEW = "second_interview", "Second interview"
    FINAL_ROUND = "final_round", "Final round"
    REFERENCE_CHECK = "reference_check", "Reference check"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_REPLY = "no_reply", "No reply"

    @classmethod
    def exits(cls) -> list[Stage]:
        """Stages where an application has ended without an offer taken."""
        return [cls.REJECTED, cls.WITHDRAWN, cls.NO_REPLY]

    @classmethod
    def active(cls) -> list[Stage]:
        """Stages shown as columns on the board, in order."""
        return [stage for stage in cls if stage not in cls.exits()]

    @classmethod
    def under_way(cls) -> list[Stage]:
        """Applied and waiting on an answer: neither just an idea nor finished."""
        return [stage for stage in cls.active() if stage not in (cls.INTERESTED, cls.ACCEPTED)]

    @classmethod
    def interviewing(cls) -> list[Stage]:
        return [cls.FIRST_INTERVIEW, cls.SECOND_INTERVIEW, cls.FINAL_ROUND]


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class InterviewFormat(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    ON_SITE = "on_site", "On-site"
    PANEL = "panel", "Panel"
    TASK = "task", "Task or presentation"


class InterviewOutcome(models.TextChoices):
    PENDING = "pending", "Waiting to hear"
    PASSED = "passed", "Passed"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CompanyQuerySet(models.QuerySet):
    def for_user(self, user) -> CompanyQuerySet:
        return self.filter(owner=user)


class Company(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(max_length=200)
    website = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "companies"
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="company_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class TagQuerySet(models.QuerySet):
    def for_user(self, user) -> TagQuerySet:
        return self.filter(owner=user)


class Tag(models.Model):
    """A word a person files applications under ("remote", "fintech", "dream job")."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=40)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="one_tag_per_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user) -> ApplicationQuerySet:
        return self.filter(owner=user)

    def open(self) -> ApplicationQuerySet:
        return self.filter(archived=False)

    def quiet(self, *, since: dt.datetime) -> ApplicationQuerySet:
        """Unchanged since `since`, with no interview since then or booked ahead: nothing is
        happening. An interview last week is news, even if nobody edited the application."""
        return self.filter(updated_at__lt=since).exclude(_interview_since(since))

    def moving(self, *, since: dt.datetime) -> ApplicationQuerySet:
        """Under way (applied, not yet ended or accepted) and not quiet since `since`: the
        applications that are actually going somewhere."""
        return self.open().filter(moved_since(since), stage__in=Stage.under_way())


def moved_since(since: dt.datetime) -> models.Q:
    """Changed, or interviewed (or booked to be), since `since`: the opposite of quiet."""
    return models.Q(updated_at__gte=since) | models.Q(_interview_since(since))


def _interview_since(since: dt.datetime) -> models.Exists:
    """The application has an interview (not cancelled) since `since`, or booked ahead."""
    return models.Exists(
        Interview.objects.filter(
            application=models.OuterRef("pk"), cancelled_at__isnull=True, starts_at__gte=since
        )
    )


class Application(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    # RESTRICT, not PROTECT: a company with applications cannot be deleted on its own,
    # but deleting the user removes both together.
    company = models.ForeignKey(Company, on_delete=models.RESTRICT, related_name="applications")
    role_title = models.CharField("role", max_length=200)
    job_url = models.URLField("job link", max_length=500, blank=True)
    source = models.CharField(
        max_length=100, blank=True, help_text="Where you found it: a job board, a recruiter, a referral."
    )
    location = models.CharField(max_length=200, blank=True)
    work_mode = models.CharField(max_length=10, choices=WorkMode.choices, blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(
        max_length=3, blank=True, help_text="Three letters, such as GBP or EUR."
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    # Kept beside the history so "days in stage" needs no query per card.
    stage_changed_at = models.DateTimeField(default=timezone.now)
    next_step = models.CharField(max_length=200, blank=True)
    decision_expected_on = models.DateField(
        "decision promised by", null=True, blank=True, help_text="The date they said you would hear by."
    )
    excitement = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(blank=True)
    archived = models.BooleanField(default=False)
    # The few the person most wants: shown first where they choose, and marked on the board.
    starred = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="applications")
    # A random value the create form carries, so a double-submitted form
    # (double click, resent POST) makes one application, not two.
    creation_token = models.UUIDField(null=True, blank=True, editable=False)
    # The import that made it, so that import can be undone as a whole.
    created_by_import = models.ForeignKey(
        "ApplicationImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="applications",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["owner", "archived", "stage"]),
            models.Index(fields=["owner", "-updated_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "creation_token"], name="application_created_once_per_token"
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="application_salary_range_in_order",
                violation_error_message="The lowest salary must not be more than the highest.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_title} at {self.company.name}"

    @property
    def is_closed(self) -> bool:
        return self.stage in Stage.exits()

    @property
    def excitement_stars(self) -> str:
        return "★" * (self.excitement or 0)


class StageChangeQuerySet(models.QuerySet):
    def for_user(self, user) -> StageChangeQuerySet:
        return self.filter(application__owner=user)


class StageChange(models.Model):
    """One step in an application's history. The first has no from_stage."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["application", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} -> {self.to_stage}"


class InterviewQuerySet(models.QuerySet):
    def for_user(self, user) -> InterviewQuerySet:
        return self.filter(application__owner=user)

    def scheduled(self) -> InterviewQuerySet:
        return self.filter(cancelled_at__isnull=True)


class Interview(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    round_number = models.PositiveSmallIntegerField(
        "round", default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The zone its time was agreed in (a call with a team in New York), when not the person's own:
    # the form reads the time in it, and the pages show the time there beside the person's own.
    time_zone = models.CharField(max_length=64, blank=True)
    format = models.CharField(max_length=10, choices=InterviewFormat.choices, default=InterviewFormat.VIDEO)
    location = models.CharField(
        "where", max_length=500, blank=True, help_text="An address, or the meeting link."
    )
    outcome = models.CharField(
        max_length=10, choices=InterviewOutcome.choices, default=InterviewOutcome.PENDING
    )
    notes = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Calendar apps replace an event only when its sequence number grows.
    sequence = models.PositiveIntegerField(default=0)
    creation_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["application", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="interview_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["application", "creation_token"], name="interview_created_once_per_token"
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.round_number} for {self.application}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_past(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())


class ApplicationImportQuerySet(models.QuerySet):
    def for_user(self, user) -> ApplicationImportQuerySet:
        return self.filter(owner=user)


class ApplicationImport(models.Model):
    """A file being imported: kept between upload, review and the import itself, then for undoing it."""

    class Status(models.TextChoices):
        REVIEWING = "reviewing", "Being checked"
        QUEUED = "queued", "Waiting to start"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_imports"
    )
    file_name = models.CharField(max_length=255)
    # The file as text (a workbook's first sheet written out as CSV), read again at each step.
    content = models.TextField()
    # How the file was read: format, encoding, delimiter, sheet. Shown on the review page.
    read_as = models.JSONField(default=dict)
    # Our field name -> the CSV header it is read from.
    mapping = models.JSONField(default=dict)
    # The person's choices on the review page; empty means "as we guessed".
    date_order = models.CharField(max_length=3, blank=True)
    stage_preset = models.CharField(max_length=20, blank=True)
    # A stage as the file writes it (squashed to letters and digits) -> ours.
    stage_choices = models.JSONField(default=dict)
    import_duplicates = models.BooleanField(default=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REVIEWING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # Why the last try failed, in the job seeker's words; nothing was added.
    failure = models.TextField(blank=True)
    # Companies the import made, removed again by an undo if nothing else uses them.
    created_company_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_count = models.PositiveIntegerField(default=0)

    objects = ApplicationImportQuerySet.as_manager()

    # Far beyond what 20,000 rows take, and past the task's time limit.
    STALLS_AFTER = dt.timedelta(minutes=15)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.IMPORTING)

    def is_stalled(self, now: dt.datetime | None = None) -> bool:
        """Queued or started long ago and still not done: no worker took it, or one died with it.

        The import's transaction was rolled back with the worker, so trying again is safe.
        """
        since = self.started_at or self.queued_at
        return self.is_running and since is not None and since < (now or timezone.now()) - self.STALLS_AFTER
