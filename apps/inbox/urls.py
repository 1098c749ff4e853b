from django.urls import path

from apps.inbox import views

app_name = "inbox"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/address/", views.inbox_address, name="address"),
    path("inbox/<int:pk>/", views.inbox_message, name="message"),
]
