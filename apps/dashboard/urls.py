from django.urls import path

from apps.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("numbers/", views.numbers_page, name="numbers"),
    path("applications/<int:pk>/follow-up/", views.follow_up, name="dashboard_follow_up"),
]
