"""Reminder pieces shown on other apps' pages (settings, the application page)."""

from __future__ import annotations

from django import template

from apps.reminders import selectors, services
from apps.reminders.forms import ReminderSettingsForm

register = template.Library()


@register.simple_tag(takes_context=True)
def reminder_settings_form(context: template.Context) -> ReminderSettingsForm:
    """The form shown on the settings page, unless the page brings one back with errors."""
    return context.get("reminder_form") or ReminderSettingsForm(
        instance=services.settings_for(context["request"].user)
    )


@register.simple_tag(takes_context=True)
def application_reminders(context: template.Context, application) -> list:
    return selectors.open_reminders_for(user=context["request"].user, application_id=application.pk)
