from django.urls import path

from apps.core import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("drafts/", views.form_drafts, name="form_drafts"),
]
