"""The personal calendar feed, one-interview downloads, and replacing the feed's address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.models import User
from apps.accounts.services_calendar import user_regenerate_calendar_token
from apps.pipeline import calendar as ics
from apps.pipeline.models import Interview

CONTENT_TYPE = "text/calendar; charset=utf-8"


# No login: calendar apps fetch the feed without a session. The token in the
# address is the only key, and no cache may keep a copy once it is replaced.
@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = get_object_or_404(User.objects.filter(calendar_token=token, is_active=True))
    now = timezone.now()
    body = ics.calendar_ics(ics.feed_interviews(user=user, now=now), now=now)
    return HttpResponse(body, content_type=CONTENT_TYPE)


@login_required
@require_safe
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(ics.with_event_details(Interview.objects.for_user(request.user)), pk=pk)
    response = HttpResponse(ics.calendar_ics([interview], now=timezone.now()), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=ics.interview_filename(interview)
    )
    return response


@login_required
@require_POST
def calendar_regenerate(request: HttpRequest) -> HttpResponse:
    user_regenerate_calendar_token(user=request.user)
    messages.success(
        request, "Your calendar has a new address. Calendars subscribed to the old one will stop updating."
    )
    return redirect("accounts:settings")
