"""Writes to the pipeline that carry rules. Views call these; forms only validate."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import User
from apps.core import trash
from apps.core.models import DeletedItem
from apps.pipeline.models import Application, Company, Interview, InterviewFormat, Stage, StageChange, Tag
from apps.pipeline.signals import application_moved
from apps.reminders import api as reminders
from apps.reminders import kinds
from apps.reminders.kinds import Kind
from apps.reminders.models import OPEN, Reminder, ReminderSettings, Status
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
    "starred",
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
    tags: list[str] | None = None,
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
    if tags:
        application_set_tags(application=application, names=tags)
    schedule_follow_up(application=application)
    return application


def application_update(
    *,
    application: Application,
    company_name: str,
    role_title: str,
    tags: list[str] | None = None,
    **fields: object,
) -> Application:
    """Edit an application's facts (and its tags, when given). Its stage moves only through
    application_move_stage."""
    unknown = set(fields) - APPLICATION_FIELDS
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    application.company = company_get_or_create(owner=application.owner, name=company_name)
    application.role_title = role_title.strip()
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean(exclude=["owner", "company"])
    application.save()
    if tags is not None:
        application_set_tags(application=application, names=tags)
    schedule_follow_up(application=application)
    return application


# --- Tags and stars -------------------------------------------------------------

MAX_TAGS_PER_APPLICATION = 12
TAG_LENGTH = Tag._meta.get_field("name").max_length


def tag_names(text: str) -> list[str]:
    """The tags typed in one box, a comma between them: tidied, each once (whatever its case)."""
    names: dict[str, str] = {}
    for typed in text.split(","):
        name = " ".join(typed.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


@transaction.atomic
def application_set_tags(*, application: Application, names: list[str]) -> list[Tag]:
    """File the application under exactly these tags, making the ones the person has not used yet;
    a tag is the same whatever its case ("Remote" is "remote")."""
    names = tag_names(",".join(names))
    if len(names) > MAX_TAGS_PER_APPLICATION:
        raise ValidationError({"tags": f"Up to {MAX_TAGS_PER_APPLICATION} tags for one application."})
    tags = _tags_named(application.owner, names)
    application.tags.set(tags)
    return tags


def _tags_named(owner: User, names: list[str]) -> list[Tag]:
    """The person's tags of these (tidied) names, in their order, making the ones not used yet."""
    too_long = [name for name in names if len(name) > TAG_LENGTH]
    if too_long:
        raise ValidationError({"tags": f"Keep each tag under {TAG_LENGTH} characters: “{too_long[0][:60]}”."})
    if not names:
        return []
    wanted = Q()
    for name in names:
        wanted |= Q(name__iexact=name)
    known = {tag.name.casefold(): tag for tag in Tag.objects.for_user(owner).filter(wanted)}
    return [known.get(name.casefold()) or _new_tag(owner, name) for name in names]


def _new_tag(owner: User, name: str) -> Tag:
    # The same new tag typed in two tabs at once: the second finds the first's.
    try:
        with transaction.atomic():
            return Tag.objects.create(owner=owner, name=name)
    except IntegrityError:
        return Tag.objects.for_user(owner).get(name__iexact=name)


def application_set_starred(*, application: Application, starred: bool) -> Application:
    application.starred = starred
    application.save(update_fields=["starred", "updated_at"])
    return application


# --- Several applications at once -------------------------------------------------

BULK_ACTIONS = {
    "move": "Move to",
    "archive": "Archive",
    "unarchive": "Restore to the pipeline",
    "star": "Star",
    "unstar": "Unstar",
    "tag": "Add a tag",
    "delete": "Delete",
}
MAX_BULK = 500


@dataclass
class BulkDone:
    count: int
    # A delete keeps the applications together in the trash, to come back as one.
    deleted: DeletedItem | None = None


@transaction.atomic
def applications_bulk(
    *,
    owner: User,
    ids: list[int],
    action: str,
    stage: str = "",
    tag: str = "",
    now: dt.datetime | None = None,
) -> BulkDone:
    """Do one thing to several of the person's applications (others' ids are passed over unseen).

    A move goes through application_move_stage for each, so each keeps its history and
    reminders; one already at the stage, or archived, is left as it is."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": "Choose what to do with them."})
    if not ids:
        raise ValidationError({"ids": "Tick the applications to change first."})
    if len(ids) > MAX_BULK:
        raise ValidationError({"ids": f"Up to {MAX_BULK} at once."})
    chosen = list(Application.objects.for_user(owner).filter(pk__in=ids).select_related("company"))
    if action == "move":
        if stage not in Stage.values:
            raise ValidationError({"stage": "Choose the stage to move them to."})
        moved = [
            application_move_stage(application=application, to_stage=stage, now=now)
            for application in chosen
            if not application.archived
        ]
        return BulkDone(count=sum(move.moved for move in moved))
    if action in ("archive", "unarchive"):
        for application in chosen:
            application_set_archived(application=application, archived=action == "archive")
        return BulkDone(count=len(chosen))
    if action in ("star", "unstar"):
        count = Application.objects.filter(pk__in=[a.pk for a in chosen]).update(
            starred=action == "star", updated_at=now or timezone.now()
        )
        return BulkDone(count=count)
    if action == "tag":
        names = tag_names(tag)
        if len(names) != 1:
            raise ValidationError({"tag": "Type the one tag to add."})
        (added,) = _tags_named(owner, names)
        # Those already holding it keep it once; a few queries however many are ticked.
        holding = set(added.applications.filter(pk__in=[a.pk for a in chosen]).values_list("pk", flat=True))
        gaining = [a.pk for a in chosen if a.pk not in holding]
        full = Application.objects.filter(pk__in=gaining).annotate(held=Count("tags"))
        if full.filter(held__gte=MAX_TAGS_PER_APPLICATION).exists():
            raise ValidationError({"tags": f"Up to {MAX_TAGS_PER_APPLICATION} tags for one application."})
        through = Application.tags.through
        through.objects.bulk_create(
            [through(application_id=pk, tag_id=added.pk) for pk in gaining], ignore_conflicts=True
        )
        return BulkDone(count=len(chosen))
    label = f"{len(chosen)} application{'s' if len(chosen) != 1 else ''}"
    return BulkDone(
        count=len(chosen), deleted=trash.throw_away_many(user=owner, instances=chosen, label=label)
    )


@dataclass(frozen=True)
class StageMove:
    application: Application
    moved: bool
    # True when the application reached the second round with no round-2
    # interview on record: the page offers to schedule one.
    round_two_missing: bool = False
    # The history line the move wrote: what an undo names, so it undoes this move and no other.
    change: StageChange | None = None


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
    latest = application.stage_changes.order_by("-changed_at", "-pk").first()
    if latest is not None and now < latest.changed_at:
        # A move dated in the past still comes after the history it adds to.
        raise ValidationError(
            {"moved_on": f"That is before the last step in its history ({_day(latest.changed_at)})."}
        )
    change = StageChange.objects.create(
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
    reminders_before = dict(application.reminders.values_list("pk", "status"))
    if to_stage in Stage.exits():
        reminders.cancel(application=application)
    else:
        # News came: no need to chase it any more.
        reminders.cancel(application=application, kinds_to_cancel=[Kind.FOLLOW_UP, Kind.NUDGE])
    application_moved.send(sender=Application, application=application, from_stage=given_from, now=now)
    _stamp_reminders_of_move(application=application, before=reminders_before, now=now)
    round_two_missing = (
        to_stage == Stage.SECOND_INTERVIEW
        and not application.interviews.scheduled().filter(round_number__gte=2).exists()
    )
    return StageMove(application=application, moved=True, round_two_missing=round_two_missing, change=change)


def _stamp_reminders_of_move(*, application: Application, before: dict[int, str], now: dt.datetime) -> None:
    """Mark what the move did to reminders with the move's own time, so an undo finds exactly that.

    A move closes reminders (news came; an exit closes all) and its receivers may make new ones
    (the contacts app's referee heads-ups). Those it made are created at, and those it closed are
    closed at, the moment in the move's history line; nothing else about the application carries
    that exact moment, and no new column is needed to remember it.
    """
    made = application.reminders.exclude(pk__in=list(before))
    made.update(created_at=now)
    was_open = [pk for pk, status in before.items() if status in OPEN]
    application.reminders.filter(pk__in=was_open, status=Status.DISMISSED).update(closed_at=now)


# How long a move can be taken back. Long enough to notice a slip (a card dropped one column too far,
# a second tab, the page read a few minutes later); short enough that an undo takes back a mistake
# and does not rewrite a history the person has since acted on. After it, moving the card back by
# hand records the way back as a step of its own.
UNDO_WINDOW = dt.timedelta(minutes=15)


class UndoRefused(ValidationError):
    """The move cannot be taken back: the message says why, in the person's words."""


@dataclass(frozen=True)
class StageMoveUndone:
    application: Application
    # The stage the undo took the application out of.
    undone_stage: str


@transaction.atomic
def stage_move_undo(
    *, application: Application, change_id: int | None, now: dt.datetime | None = None
) -> StageMoveUndone:
    """Take back the move that wrote history line `change_id`, as if it never happened.

    1. Only the application's latest line, written by a move (not its first line), within
       UNDO_WINDOW: a page showing an older move (a second tab, a double click) is refused rather
       than taking back a later move it never showed.
    2. The line goes; the stage and the time it was reached come back from the line before.
    3. Reminders the move made and nobody has dealt with go, so that the next real move makes
       them again; those it closed open again as they were (sent or waiting).
    """
    now = now or timezone.now()
    # The same lock as a move's: an undo and a move of the same card are done one after the other.
    application = Application.objects.select_for_update().select_related("company").get(pk=application.pk)
    company = application.company.name
    history = list(application.stage_changes.order_by("-changed_at", "-pk")[:2])
    if not history or history[0].pk != change_id:
        if change_id is None or not application.stage_changes.filter(pk=change_id).exists():
            raise UndoRefused(f"That move of {company} has already been undone.")
        raise UndoRefused(
            f"{company} has moved since, so that move can no longer be undone here. "
            f"It is at {application.get_stage_display()} now."
        )
    latest = history[0]
    if len(history) < 2 or not latest.from_stage or application.stage != latest.to_stage:
        raise UndoRefused(f"There is no move of {company} to undo.")
    earlier = history[1]
    if now - latest.changed_at > UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        raise UndoRefused(
            f"A move can be undone for {minutes} minutes; that one is older. "
            f"Move {company} back yourself if it is wrong."
        )
    if application.archived:
        raise UndoRefused(f"{company} is archived. Restore it first, then move it back.")

    undone_stage = application.stage
    application.stage = latest.from_stage
    application.stage_changed_at = earlier.changed_at
    application.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    latest.delete()

    made_by_move = application.reminders.filter(created_at=latest.changed_at)
    # One being emailed this very second is left to finish: its sender holds the row.
    made_by_move.filter(status__in=OPEN).exclude(status=Status.SENDING).delete()
    closed_by_move = application.reminders.filter(status=Status.DISMISSED, closed_at=latest.changed_at)
    # As reopening one by hand does (reminders.services.reminder_reopen): sent or waiting again.
    closed_by_move.filter(sent_at__isnull=False).update(status=Status.SENT, closed_at=None)
    closed_by_move.filter(sent_at__isnull=True).update(status=Status.PENDING, closed_at=None)
    return StageMoveUndone(application=application, undone_stage=undone_stage)


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


@transaction.atomic
def stage_change_edit(*, change: StageChange, changed_at: dt.datetime, note: str) -> StageChange:
    """Set a step of the history right: when it happened, and its note.

    The step keeps its place between the ones before and after it. The first step is also
    when the application was added; the latest is also when it reached its stage."""
    application = Application.objects.select_for_update().get(pk=change.application_id)
    steps = list(application.stage_changes.order_by("changed_at", "pk"))
    place = next(index for index, step in enumerate(steps) if step.pk == change.pk)
    before = steps[place - 1] if place > 0 else None
    after = steps[place + 1] if place + 1 < len(steps) else None
    if before is not None and changed_at < before.changed_at:
        raise ValidationError({"day": f"That is before the step before it ({_day(before.changed_at)})."})
    if after is not None and changed_at > after.changed_at:
        raise ValidationError({"day": f"That is after the step that comes next ({_day(after.changed_at)})."})
    change.changed_at, change.note = changed_at, note.strip()
    change.save(update_fields=["changed_at", "note"])
    fields = ["updated_at"]
    if before is None:
        application.created_at = changed_at
        fields.append("created_at")
    if after is None:
        application.stage_changed_at = changed_at
        fields.append("stage_changed_at")
    application.save(update_fields=fields)
    return change


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
    time_zone: str = "",
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
        time_zone=time_zone,
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
    _stage_follows_interview(interview)
    return interview


# The stage a booked round puts an application at, and the stages it is behind of.
ROUND_STAGES = {1: Stage.FIRST_INTERVIEW, 2: Stage.SECOND_INTERVIEW}


def _stage_follows_interview(interview: Interview) -> None:
    """A booked round moves an application that is behind to that round's stage: round one to
    First interview, round two (or later) to Second interview, with what a move brings (the
    referee heads-up). One already further on, or closed, stays where it is."""
    stage = ROUND_STAGES[min(interview.round_number, 2)]
    application = interview.application
    order = list(Stage)
    if application.stage in Stage.exits() or order.index(application.stage) >= order.index(stage):
        return
    day = date_format(timezone.localtime(interview.starts_at), "j M")
    note = f"Round {interview.round_number} booked for {day}."
    application_move_stage(application=application, to_stage=stage, note=note)


INTERVIEW_FIELDS = {"round_number", "format", "location", "outcome", "notes", "time_zone"}


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
        # Reminders already dealt with were about the old time: the new one brings them back.
        reminders.schedule_about(what=kinds.INTERVIEW, about=interview, rearm=True)
    return interview


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
        Application.objects.open()
        .quiet(since=now - QUIET_APPLICATION_AFTER)
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
