"""The pipeline's Celery tasks: its periodic jobs (scheduled in config/settings.py's
CELERY_BEAT_SCHEDULE), and importing a reviewed file."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def nudge_quiet_applications() -> int:
    """Every hour: a nudge for each application quiet for two weeks (one per quiet spell)."""
    from apps.pipeline.services import nudge_quiet_applications as nudge

    return nudge()


@shared_task(ignore_result=True)
def keep_searching_weekly() -> int:
    """Every hour: this week's keep-searching reminder for each stalled search (one a week)."""
    from apps.pipeline.keep_searching import plan_weekly_reminders

    return plan_weekly_reminders()


# Retried by no one: a failure is recorded on the import, in words the person reads on its page,
# and the import's transaction leaves nothing behind. The page offers to try again.
@shared_task(ignore_result=True)
def import_applications(import_id: int) -> None:
    """Import a reviewed file, writing its progress where its page reads it."""
    from apps.pipeline.csv.importing import application_import_run

    application_import_run(import_id=import_id)
