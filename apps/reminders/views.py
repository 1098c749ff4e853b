from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.forms import PreferencesForm
from apps.accounts.selectors import email_confirmed
from apps.core.forms import next_path
from apps.reminders import emails, kinds, selectors, services
from apps.reminders.forms import ReminderSettingsForm
from apps.reminders.models import Reminder

ACTIONS = {
    "done": services.reminder_mark_done,
    "snooze": services.reminder_snooze,
    "dismiss": services.reminder_dismiss,
    "reopen": services.reminder_reopen,
}


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    section = request.GET.get("section", "")
    if request.htmx and section in selectors.SECTIONS:
        # "Show more" in one section: its next reminders, to go under those already shown.
        page = selectors.reminder_section(
            user=request.user, now=timezone.now(), name=section, query=request.GET
        )
        return render(request, "reminders/_section.html#more_reminders", {"page": page, "section": section})
    context = {
        "board": selectors.reminder_board(user=request.user, now=timezone.now(), query=request.GET),
        "address_confirmed": email_confirmed(request.user),
    }
    return render(request, "reminders/reminders.html", context)


@login_required
@require_POST
def reminder_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Done, Tomorrow, Dismiss or Undo: the button pressed names the action."""
    reminder = get_object_or_404(
        Reminder.objects.for_user(request.user).select_related("application__company", "interview"), pk=pk
    )
    act = ACTIONS.get(request.POST.get("action", ""))
    if act is None:
        return HttpResponse("Unknown action.", status=400)
    try:
        reminder = act(reminder=reminder)
    except services.ReminderClosed:
        messages.error(request, "That reminder is already dealt with: there is nothing to snooze.")
        status = 409
    else:
        status = 200
    back = next_path(request, reverse("reminders:reminders"))
    if request.htmx:
        # The swapped reminder's form keeps pointing back at the page it sits on, not at this URL.
        context = {"reminder": reminder, "next_path": back}
        return render(request, "reminders/_reminder.html", context, status=status)
    return redirect(back)


@login_required
def reminder_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The message a reminder asks the person to send (a check-in, a follow-up), ready to copy
    or open in their mail app, with the reminder's own buttons beside it."""
    reminder = get_object_or_404(
        Reminder.objects.for_user(request.user).select_related("application__company", "interview", "owner"),
        pk=pk,
    )
    note = emails.draft_of(reminder)
    if note is None:
        # A kind with no message to send has its own page for the task (a reflection, the brief).
        if reminder.registry_row.page_about == kinds.REMINDER:
            raise Http404("This reminder has no message to send.")
        return redirect(reminder.page_path)
    return render(request, "reminders/note.html", {"reminder": reminder, "draft": note})


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
