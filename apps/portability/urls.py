from django.urls import path

from apps.portability import views

app_name = "portability"

urlpatterns = [
    path("account/export.json", views.export_json, name="export_json"),
    path("account/export.zip", views.export_zip, name="export_zip"),
    path("account/import/", views.import_data, name="import"),
    path("account/delete/", views.delete_account, name="delete"),
]
