from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("complaints-monthly-<int:year>.csv", views.monthly_csv, name="monthly_csv"),
    path("complaints-monthly-<int:year>.json", views.monthly_json, name="monthly_json"),
]
