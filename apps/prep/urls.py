from django.urls import path

from apps.prep import urls_stories
from apps.prep.views import plan

app_name = "prep"

urlpatterns = [
    path("interviews/<int:pk>/prep/", plan.brief, name="brief"),
    path("interviews/<int:pk>/prep/print/", plan.brief_print, name="print"),
    path("interviews/<int:pk>/prep/<slug:part>/", plan.brief_part, name="part"),
    *urls_stories.urlpatterns,
]
