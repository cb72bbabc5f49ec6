"""/open311/: service discovery, and GeoReport v2 under /open311/v2/. Each resource answers
with or without ``.json`` / ``.xml`` (JSON when none is given)."""

from django.urls import path, re_path

from open311 import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>json|xml))?"
REQUEST_ID = r"(?P<request_id>[^/.]{1,40})"
SERVICE_CODE = r"(?P<code>[^/.]{1,20})"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}$", views.discovery, name="discovery"),
    path("v2/", views.services, name="root"),
    re_path(rf"^v2/services{FORMAT}$", views.services, name="services"),
    re_path(rf"^v2/services/{SERVICE_CODE}{FORMAT}$", views.service_definition, name="service"),
    re_path(rf"^v2/requests{FORMAT}$", views.service_requests, name="requests"),
    re_path(rf"^v2/requests/{REQUEST_ID}{FORMAT}$", views.service_request, name="request"),
]
