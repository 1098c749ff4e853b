from django.urls import path

from apps.decide import views

app_name = "decide"

urlpatterns = [
    path("decide/", views.compare, name="compare"),
]
