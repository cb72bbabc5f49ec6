from django.urls import path

from home import views as home_views

app_name = "complaints"

urlpatterns = [
    path("new/", home_views.coming_soon, {"service": "file"}, name="new"),
]
