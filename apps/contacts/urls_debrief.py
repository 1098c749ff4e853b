# The recruiter debrief and its balanced-feedback helper (see views/debrief.py).
from django.urls import path

from apps.contacts.views import debrief

urlpatterns = [
    path("interviews/<int:pk>/debrief/", debrief.debrief, name="debrief"),
    path("interviews/<int:pk>/debrief/check/", debrief.debrief_check, name="debrief_check"),
]
