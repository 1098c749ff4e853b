from django.urls import path

from apps.prep import urls_stories
from apps.prep.views import door, plan

app_name = "prep"

urlpatterns = [
    path("interviews/<int:pk>/prep/", plan.brief, name="brief"),
    path("interviews/<int:pk>/prep/print/", plan.brief_print, name="print"),
    # Before the catch-all for the brief's parts, which would take "door" for one.
    path("interviews/<int:pk>/prep/door/", door.door, name="door"),
    path("interviews/<int:pk>/prep/<slug:part>/", plan.brief_part, name="part"),
    *urls_stories.urlpatterns,
]
