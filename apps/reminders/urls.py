from django.urls import path

from apps.reminders import urls_links, views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.reminder_list, name="reminders"),
    path("reminders/settings/", views.reminder_settings, name="settings"),
    path("reminders/<int:pk>/", views.reminder_action, name="action"),
    path("reminders/<int:pk>/note/", views.reminder_note, name="note"),
    *urls_links.urlpatterns,
]
