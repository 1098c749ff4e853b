from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.journal import selectors as journal_selectors
from apps.pipeline import selectors as pipeline_selectors
from apps.prep import selectors as prep_selectors
from apps.reminders import selectors as reminder_selectors


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard for a signed-in user; a short introduction for anyone else."""
    if request.user.is_authenticated:
        upcoming = list(pipeline_selectors.upcoming_interviews(user=request.user, now=timezone.now()))
        context = {
            "awaiting_reflection": journal_selectors.interviews_awaiting_reflection(
                user=request.user, now=timezone.now()
            )[:5],
            "open_lessons": journal_selectors.open_lessons(user=request.user)[:5],
            "reminders": reminder_selectors.reminder_board(user=request.user, now=timezone.now()),
            "upcoming": upcoming,
            "readiness": prep_selectors.readiness_for_interviews([interview.pk for interview in upcoming]),
        }
        return render(request, "dashboard/home.html", context)
    return render(request, "core/landing.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing form token in plain words."""
    return render(request, "403_csrf.html", status=403)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it may look after every page."""
    response = render(request, "sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
