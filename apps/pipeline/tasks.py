"""The pipeline's periodic jobs (scheduled in config/settings.py's CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def nudge_quiet_applications() -> int:
    """Every hour: a nudge for each application quiet for two weeks (one per quiet spell)."""
    from apps.pipeline.services import nudge_quiet_applications as nudge

    return nudge()
