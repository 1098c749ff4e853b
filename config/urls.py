from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", include("apps.dashboard.urls")),
    path("", include("apps.core.urls")),
    path("", include("apps.pipeline.urls")),
    path("", include("apps.journal.urls")),
    path("", include("apps.reminders.urls")),
    path("", include("apps.contacts.urls")),
    path("", include("apps.prep.urls")),
    path("", include("apps.portability.urls")),
    path("", include("apps.decide.urls")),
    path("", include("apps.inbox.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BARE_PAGE:
    # The base template with no queries of its own: the yardstick for bench/load.py.
    urlpatterns.append(
        path("bench/bare/", TemplateView.as_view(template_name="bench_bare.html"), name="bench_bare")
    )
