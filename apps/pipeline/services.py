"""Writes to the pipeline that carry rules. Views call these; forms only validate."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import User
from apps.core import trash
from apps.core.models import DeletedItem
from apps.pipeline.models import Application, Company, Interview, InterviewFormat, Stage, StageChange
from apps.pipeline.signals import application_moved
from apps.reminders import api as reminders
from apps.reminders import kinds
from apps.reminders.kinds import Kind
from apps.reminders.models import Reminder, ReminderSettings
from apps.reminders.rules import QUIET_APPLICATION_AFTER


def company_get_or_create(*, owner: User, name: str) -> Company:
    """The owner's company of that name, matched without regard to case."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"company_name": "Type the company's name."})
    existing = Company.objects.for_user(owner).filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Company.objects.create(owner=owner, name=name)
    except IntegrityError:
        # Created by a concurrent request between our look-up and insert.
        return Company.objects.for_user(owner).get(name__iexact=name)


APPLICATION_FIELDS = {
    "job_url",
    "source",
    "location",
    "work_mode",
    "salary_min",
    "salary_max",
    "salary_currency",
    "next_step",
    "decision_expected_on",
    "excitement",
    "notes",
}


@transaction.atomic
def application_create(
    *,
    owner: User,
    company_name: str,
    role_title: str,
    stage: str = Stage.APPLIED,
    creation_token: uuid.UUID | None = None,
    created_at: dt.datetime | None = None,
    **fields: object,
) -> Application:
    """Create an application and the first line of its history.

    A repeated `creation_token` (the same form sent twice) returns the
    application the first submission made instead of a second one.
    """
    if creation_token is not None:
        existing = Application.objects.for_user(owner).filter(creation_token=creation_token).first()
        if existing:
            return existing
    unknown = set(fields) - APPLICATION_FIELDS
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    now = created_at or timezone.now()
    application = Application(
        owner=owner,
        company=company_get_or_create(owner=owner, name=company_name),
        role_title=role_title.strip(),
        stage=stage,
        stage_changed_at=now,
        creation_token=creation_token,
        created_at=now,
        **fields,
    )
    application.full_clean(exclude=["owner", "company"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        if creation_token is None:
            raise
        return Application.objects.for_user(owner).get(creation_token=creation_token)
    StageChange.objects.create(application=application, from_stage="", to_stage=stage, changed_at=now)
    schedule_follow_up(application=application)
    return application


def application_update(
    *, application: Application, company_name: str, role_title: str, **fields: object
) -> Application:
    """Edit an application's facts. Its stage moves only through application_move_stage."""
    unknown = set(fields) - APPLICATION_FIELDS
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    application.company = company_get_or_create(owner=application.owner, name=company_name)
    application.role_title = role_title.strip()
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean(exclude=["owner", "company"])
    application.save()
    schedule_follow_up(application=application)
    return application


@dataclass(frozen=True)
class StageMove:
    application: Application
    moved: bool
    # True when the application reached the second round with no round-2
    # interview on record: the page offers to schedule one.
    round_two_missing: bool = False


@transaction.atomic
def application_move_stage(
    *, application: Application, to_stage: str, note: str = "", now: dt.datetime | None = None
) -> StageMove:
    """Move an application to another stage and record the step in its history."""
    if to_stage not in Stage.values:
        raise ValidationError({"stage": "Choose a stage from the list."})
    # Lock the row so two quick moves (a drag and a click) are recorded in order.
    given = application
    application = Application.objects.select_for_update().select_related("company").get(pk=application.pk)
    given_from = application.stage
    if application.stage == to_stage:
        return StageMove(application=application, moved=False)
    now = now or timezone.now()
    StageChange.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        changed_at=now,
        note=note.strip(),
    )
    application.stage = to_stage
    application.stage_changed_at = now
    application.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    # The caller's copy moves too, so code that goes on using it sees the new stage.
    given.stage, given.stage_changed_at = application.stage, application.stage_changed_at
    if to_stage in Stage.exits():
        reminders.cancel(application=application)
    else:
        # News came: no need to chase it any more.
        reminders.cancel(application=application, kinds_to_cancel=[Kind.FOLLOW_UP, Kind.NUDGE])
    application_moved.send(sender=Application, application=application, from_stage=given_from, now=now)
    round_two_missing = (
        to_stage == Stage.SECOND_INTERVIEW
        and not application.interviews.scheduled().filter(round_number__gte=2).exists()
    )
    return StageMove(application=application, moved=True, round_two_missing=round_two_missing)


def application_set_archived(*, application: Application, archived: bool) -> Application:
    application.archived = archived
    application.save(update_fields=["archived", "updated_at"])
    if archived:
        reminders.cancel(application=application)
    else:
        schedule_follow_up(application=application)
    return application


def next_round_number(application: Application) -> int:
    """The round a new interview most likely is: one after the latest scheduled."""
    latest = application.interviews.scheduled().aggregate(latest=Max("round_number"))["latest"]
    return (latest or 0) + 1


def _check_interview_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The interview must end after it starts."})
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ValidationError({"ends_at": "An interview of more than a day? Check the end time."})


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    format: str = InterviewFormat.VIDEO,
    round_number: int | None = None,
    location: str = "",
    notes: str = "",
    creation_token: uuid.UUID | None = None,
) -> Interview:
    if creation_token is not None:
        existing = application.interviews.filter(creation_token=creation_token).first()
        if existing:
            return existing
    if application.archived:
        raise ValidationError("This application is archived. Restore it before adding an interview.")
    _check_interview_times(starts_at, ends_at)
    interview = Interview(
        application=application,
        round_number=round_number or next_round_number(application),
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        location=location.strip(),
        notes=notes,
        creation_token=creation_token,
    )
    interview.full_clean(exclude=["application"])
    try:
        with transaction.atomic():
            interview.save()
    except IntegrityError:
        if creation_token is None:
            raise
        return application.interviews.get(creation_token=creation_token)
    reminders.schedule_about(what=kinds.INTERVIEW, about=interview)
    return interview


INTERVIEW_FIELDS = {"round_number", "format", "location", "outcome", "notes"}


@transaction.atomic
def interview_update(
    *, interview: Interview, starts_at: dt.datetime, ends_at: dt.datetime, **fields: object
) -> Interview:
    """Edit an interview; a new time is a reschedule, which calendars must see."""
    unknown = set(fields) - INTERVIEW_FIELDS
    if unknown:
        raise TypeError(f"unknown interview fields: {sorted(unknown)}")
    if interview.is_cancelled:
        raise ValidationError("This interview was cancelled; schedule a new one instead.")
    _check_interview_times(starts_at, ends_at)
    rescheduled = (starts_at, ends_at) != (interview.starts_at, interview.ends_at)
    for name, value in fields.items():
        setattr(interview, name, value)
    interview.starts_at, interview.ends_at = starts_at, ends_at
    if rescheduled:
        interview.sequence += 1
    interview.full_clean(exclude=["application"])
    interview.save()
    if rescheduled:
        reminders.schedule_about(what=kinds.INTERVIEW, about=interview)
    return interview


def interview_reschedule(*, interview: Interview, starts_at: dt.datetime, ends_at: dt.datetime) -> Interview:
    return interview_update(interview=interview, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def interview_cancel(*, interview: Interview, now: dt.datetime | None = None) -> Interview:
    if interview.is_cancelled:
        return interview
    interview.cancelled_at = now or timezone.now()
    interview.sequence += 1
    interview.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    reminders.cancel(interview=interview)
    return interview


# --- Reminders about applications -------------------------------------------------


def follow_up_plan(
    *, application: Application, preferences: ReminderSettings | None = None, now: dt.datetime | None = None
) -> Reminder | None:
    """The follow-up a promised decision date calls for (unsaved), if the application is still open."""
    if application.decision_expected_on is None or application.is_closed or application.archived:
        return None
    return reminders.plan(
        kind=Kind.FOLLOW_UP,
        about=application,
        occasion=str(application.decision_expected_on),
        preferences=preferences,
        now=now,
    )


def schedule_follow_up(*, application: Application, now: dt.datetime | None = None) -> Reminder | None:
    """Follow up the morning after a promised decision date, if no news came.

    A new promised date replaces the follow-up for the old one.
    """
    reminders.dismiss_other_occasions(
        kind=Kind.FOLLOW_UP, about=application, keep_occasion=str(application.decision_expected_on)
    )
    planned = follow_up_plan(application=application, now=now)
    return reminders.save(planned) if planned is not None else None


def application_follow_up_now(*, application: Application, now: dt.datetime | None = None) -> Reminder:
    """The person asked to be reminded to chase a quiet application (one a day at most)."""
    now = now or timezone.now()
    planned = reminders.plan(
        kind=Kind.FOLLOW_UP, about=application, due_at=now, occasion=f"asked:{now:%Y-%m-%d}", asked=True
    )
    return reminders.save(planned)


# Stages in which an application is neither moving nor finished: silence there is worth a nudge.
_NOT_NUDGED = [*Stage.exits(), Stage.ACCEPTED, Stage.INTERESTED]


def nudge_quiet_applications(*, now: dt.datetime | None = None) -> int:
    """A gentle nudge for each active application with no activity for two weeks."""
    now = now or timezone.now()
    quiet = (
        Application.objects.filter(archived=False, updated_at__lte=now - QUIET_APPLICATION_AFTER)
        .exclude(stage__in=_NOT_NUDGED)
        .select_related("owner__reminder_settings")
    )
    planned = (
        reminders.plan(
            kind=Kind.NUDGE,
            about=application,
            # One nudge per quiet spell: the occasion names the last activity.
            occasion=f"{application.updated_at:%Y%m%d%H%M%S}",
            now=now,
        )
        for application in quiet.iterator(chunk_size=500)
    )
    return reminders.schedule_many(planned)


def application_delete(*, application: Application) -> DeletedItem:
    """Delete an application and all it holds (history, interviews, reflections, prep, reminders),
    kept for a month so that it can be brought back whole (apps/core/trash.py)."""
    label = f"{application.role_title} at {application.company.name}"
    return trash.throw_away(user=application.owner, instance=application, label=label)
