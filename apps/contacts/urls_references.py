# References: referees per application and their steps (see views/references.py).
from django.urls import path

from apps.contacts.views import references

urlpatterns = [
    path("applications/<int:pk>/references/", references.application_references, name="references"),
    path("references/<int:pk>/advance/", references.reference_advance, name="reference_advance"),
    path("contacts/<int:pk>/referee/", references.referee_detail, name="referee"),
]
