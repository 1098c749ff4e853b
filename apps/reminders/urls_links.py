"""The one-click links from reminder emails; spliced into the `reminders` namespace."""

from django.urls import path

from apps.reminders import views_links

urlpatterns = [
    path("r/<str:token>/", views_links.follow_link, name="reminder_link"),
]
