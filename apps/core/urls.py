from django.urls import path

from apps.core import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("drafts/", views.form_drafts, name="form_drafts"),
    path("views/save/", views.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("deleted/", views.deleted_items, name="deleted_items"),
    path("deleted/<int:pk>/restore/", views.deleted_item_restore, name="deleted_item_restore"),
]
