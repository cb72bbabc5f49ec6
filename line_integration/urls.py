from django.urls import path

from line_integration import views

app_name = "line"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("link/", views.link, name="link"),
    path("unlink/", views.unlink, name="unlink"),
]
