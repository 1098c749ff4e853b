"""The one-click links in reminder emails, followed without logging in.

Opening a done or snooze link changes nothing: the page shows the reminder and
one button, which posts back to the same address, and only that post acts.
Mail security scanners (the link checkers many companies run on incoming
mail) fetch every link in an email, with GET as well as HEAD, often before the
person has seen it; when a GET acted, a scanner could close a reminder without
anyone knowing. Scanners follow links but do not submit forms.

The post needs no CSRF token: the person is often not logged in on the
phone's browser, and the signed token in the address is the credential. It
names one reminder, its owner and the action, and expires; another site could
only forge the post by knowing the token, and whoever knows it can post
without our page anyway, so a CSRF check would add nothing. Both actions are
idempotent (a second post changes nothing more) and reversible (done offers
Undo, a snooze only moves a date). Open changes nothing, so it stays a
redirect on GET.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.reminders import links, services
from apps.reminders.models import Reminder, Status

TEMPLATE = "reminders/link_result.html"


def _result(
    request: HttpRequest,
    outcome: str,
    *,
    status: int = 200,
    reminder: Reminder | None = None,
    action: str = "",
) -> HttpResponse:
    context = {
        "outcome": outcome,
        "action": action,
        "reminder": reminder,
        "max_age_days": links.LINK_MAX_AGE.days,
    }
    if reminder is not None:
        context["zone"] = reminder.owner.zone
    return render(request, TEMPLATE, context, status=status)


@csrf_exempt  # the signed token is the credential; see the module docstring
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

    if action == links.OPEN:
        if request.method == "POST":
            # Open never posts; a form posted here is not ours.
            return _result(request, "invalid", status=400)
        # The page where the thing is done, as the kind's registry row names it.
        return redirect(reminder.page_path)
    if request.method != "POST":
        # GET and HEAD, whoever sends them (a person, a scanner), only ask.
        return _confirm(request, reminder, action)
    if request.POST.get("undo") == "1":
        return _undo(request, reminder, action)
    if action == links.DONE:
        return _done(request, reminder)
    return _snooze(request, reminder)


def _confirm(request: HttpRequest, reminder: Reminder, action: str) -> HttpResponse:
    # Nothing left to ask: say so at once rather than offer a button that does nothing.
    if action == links.DONE and reminder.status == Status.DONE:
        return _result(request, "already_done", reminder=reminder)
    if action == links.SNOOZE and reminder.status in (Status.DONE, Status.DISMISSED):
        return _result(request, "closed", status=409, reminder=reminder)
    if action == links.SNOOZE and reminder.status == Status.SNOOZED:
        return _result(request, "already_snoozed", reminder=reminder)
    return _result(request, "confirm", reminder=reminder, action=action)


def _done(request: HttpRequest, reminder: Reminder) -> HttpResponse:
    if reminder.status == Status.DONE:
        # A second tap, or done from the app meanwhile: nothing more to do.
        return _result(request, "already_done", reminder=reminder)
    services.reminder_mark_done(reminder=reminder)
    return _result(request, "done", reminder=reminder)


def _undo(request: HttpRequest, reminder: Reminder, action: str) -> HttpResponse:
    # Only the done pages offer Undo; an undo posted to a snooze link is not ours.
    if action != links.DONE:
        return _result(request, "invalid", status=400)
    services.reminder_reopen(reminder=reminder)
    return _result(request, "reopened", reminder=reminder)


def _snooze(request: HttpRequest, reminder: Reminder) -> HttpResponse:
    if reminder.status == Status.SNOOZED:
        # A second tap would push the date on by the seconds between the taps.
        return _result(request, "already_snoozed", reminder=reminder)
    try:
        reminder = services.reminder_snooze(reminder=reminder)
    except services.ReminderClosed:
        return _result(request, "closed", status=409, reminder=reminder)
    if reminder.status != Status.SNOOZED:
        # The dispatcher holds it this very moment (it is being emailed again).
        return _result(request, "busy", status=409, reminder=reminder)
    return _result(request, "snoozed", reminder=reminder)
