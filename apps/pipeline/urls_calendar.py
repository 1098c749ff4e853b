# Calendar feed and .ics downloads; spliced into the `pipeline` namespace.
from django.urls import path

from apps.pipeline.views import calendar

urlpatterns = [
    path("calendar/new-address/", calendar.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("interviews/<int:pk>.ics", calendar.interview_ics, name="interview_ics"),
]
