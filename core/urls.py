from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("challenge/", views.robot_check_challenge, name="robot-check-challenge"),
]
