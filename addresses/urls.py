from django.urls import path

from addresses import views

app_name = "addresses"

urlpatterns = [
    path("api/districts/", views.district_options, name="districts"),
    path("api/subdistricts/", views.subdistrict_options, name="subdistricts"),
]
