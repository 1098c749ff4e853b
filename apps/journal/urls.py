from django.urls import path

from apps.journal import urls_insights
from apps.journal.views import lessons, reflections

app_name = "journal"

urlpatterns = [
    path("journal/", reflections.journal, name="journal"),
    path("interviews/<int:pk>/reflect/", reflections.reflect, name="reflect"),
    path("interviews/<int:pk>/reflect/autosave/", reflections.autosave, name="autosave"),
    path("interviews/<int:pk>/reflection/", reflections.reflection_detail, name="reflection"),
    path("journal/lessons/", lessons.lesson_list, name="lessons"),
    path("interviews/<int:pk>/lessons/new/", lessons.lesson_create, name="lesson_create"),
    path("journal/lessons/<int:pk>/practised/", lessons.lesson_practised, name="lesson_practised"),
    *urls_insights.urlpatterns,
]
