# Journal insights (owned by the insights work; see views/insights.py).
from django.urls import path

from apps.journal.views import insights

urlpatterns = [
    path("journal/insights/", insights.insights, name="insights"),
]
