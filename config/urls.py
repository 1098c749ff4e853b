from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.pipeline.urls")),
    path("", include("apps.journal.urls")),
    path("", include("apps.reminders.urls")),
    path("", include("apps.contacts.urls")),
    path("", include("apps.prep.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
