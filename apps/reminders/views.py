from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.forms import PreferencesForm
from apps.reminders import selectors, services
from apps.reminders.forms import ReminderSettingsForm
from apps.reminders.models import Reminder

ACTIONS = {
    "done": services.reminder_mark_done,
    "snooze": services.reminder_snooze,
    "dismiss": services.reminder_dismiss,
    "reopen": services.reminder_reopen,
}


def _address_confirmed(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    context = {
        "board": selectors.reminder_board(user=request.user, now=timezone.now()),
        "address_confirmed": _address_confirmed(request.user),
    }
    return render(request, "reminders/reminders.html", context)


@login_required
@require_POST
def reminder_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    reminder = get_object_or_404(
        Reminder.objects.for_user(request.user).select_related("application__company", "interview"), pk=pk
    )
    act = ACTIONS.get(action)
    if act is None:
        return HttpResponse("Unknown action.", status=400)
    try:
        reminder = act(reminder=reminder)
    except services.ReminderClosed:
        messages.error(request, "That reminder is already dealt with: there is nothing to snooze.")
        status = 409
    else:
        status = 200
    if request.htmx:
        return render(request, "reminders/_reminder.html", {"reminder": reminder}, status=status)
    next_url = request.POST.get("next", "")
    # A path on this site only: a bare word would be taken for a view name by redirect().
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return redirect(next_url)
    return redirect("reminders:reminders")


@login_required
@require_POST
def reminder_settings(request: HttpRequest) -> HttpResponse:
    form = ReminderSettingsForm(request.POST, instance=services.settings_for(request.user))
    if form.is_valid():
        form.save()
        messages.success(request, "Your reminder settings are saved.")
        return redirect("accounts:settings")
    # Shown again on the settings page with every choice kept.
    context = {"form": PreferencesForm(instance=request.user), "reminder_form": form}
    return render(request, "accounts/settings.html", context, status=400)
