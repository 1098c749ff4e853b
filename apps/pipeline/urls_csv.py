# CSV export and import of applications (owned by the CSV work; see views/csv_io.py).
from django.urls import path

from apps.pipeline.views import csv_io

urlpatterns = [
    path("applications/export.csv", csv_io.export_csv, name="export_csv"),
    path("applications/import/", csv_io.import_upload, name="import_upload"),
    path("applications/import/<int:pk>/", csv_io.import_review, name="import_review"),
]
