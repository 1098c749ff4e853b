"""The one-click links in reminder emails, followed without logging in.

Done and snooze act on a plain GET on purpose: the person taps a link in a
phone's mail app, often not logged in on that browser, and one tap must do
it. That is acceptable here because the token is signed, bound to one
reminder and its owner, and expires; both actions are idempotent (a second
tap changes nothing more); and both are reversible (done offers Undo, a
snooze only moves a date). A HEAD request, which mail scanners send to check
links, never acts.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.reminders import links, services
from apps.reminders.models import Kind, Reminder, Status

TEMPLATE = "reminders/link_result.html"


def _result(
    request: HttpRequest, outcome: str, *, status: int = 200, reminder: Reminder | None = None
) -> HttpResponse:
    context = {"outcome": outcome, "reminder": reminder, "max_age_days": links.LINK_MAX_AGE.days}
    if reminder is not None:
        context["zone"] = reminder.owner.zone
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        reminder, action = links.follow(token)
    except links.LinkExpired:
        return _result(request, "expired", status=410)
    except links.LinkInvalid:
        return _result(request, "invalid", status=400)
    except Reminder.DoesNotExist:
        return _result(request, "gone", status=404)

    if request.method == "HEAD":
        return HttpResponse()
    if request.method == "POST":
        return _undo(request, reminder, action)
    if action == links.DONE:
        return _done(request, reminder)
    if action == links.SNOOZE:
        return _snooze(request, reminder)
    return redirect(open_target(reminder))


def _done(request: HttpRequest, reminder: Reminder) -> HttpResponse:
    services.reminder_mark_done(reminder=reminder)
    return _result(request, "done", reminder=reminder)


def _undo(request: HttpRequest, reminder: Reminder, action: str) -> HttpResponse:
    # Only the done page offers Undo; a form posted anywhere else is not ours.
    if action != links.DONE or request.POST.get("undo") != "1":
        return _result(request, "invalid", status=400)
    services.reminder_reopen(reminder=reminder)
    return _result(request, "reopened", reminder=reminder)


def _snooze(request: HttpRequest, reminder: Reminder) -> HttpResponse:
    try:
        reminder = services.reminder_snooze(reminder=reminder)
    except services.ReminderClosed:
        return _result(request, "closed", status=409, reminder=reminder)
    if reminder.status != Status.SNOOZED:
        # The dispatcher holds it this very moment (it is being emailed again).
        return _result(request, "busy", status=409, reminder=reminder)
    return _result(request, "snoozed", reminder=reminder)


def open_target(reminder: Reminder) -> str:
    """Where "open" leads: the page where the person does the thing."""
    if reminder.kind == Kind.REFLECTION_PROMPT and reminder.interview_id:
        return reverse("journal:reflect", args=[reminder.interview_id])
    if reminder.application_id:
        return reverse("pipeline:application_detail", args=[reminder.application_id])
    return reverse("home")
