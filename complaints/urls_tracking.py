"""ติดตามเรื่องร้องเรียน routes, included into complaints/urls.py (namespace "complaints").

Tracking numbers have their own converter, so a complaint's address never swallows another
route ("new/", "files/...", "track/").
"""

from django.urls import path, register_converter
from django.views.generic import RedirectView

from complaints import views_tracking


class TrackingNumberConverter:
    """Matches only "CMI-2569-000123" and the like: any province's prefix (two to five capital
    letters, complaints/tracking.py), ASCII digits, six or more in the sequence."""

    regex = r"[A-Z]{2,5}-[0-9]{4}-[0-9]{6,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TrackingNumberConverter, "tracking")

urlpatterns = [
    path("", views_tracking.my_complaints, name="mine"),
    path("track/", RedirectView.as_view(pattern_name="complaints:mine"), name="track"),
    path("<tracking:tracking_number>/", views_tracking.complaint_detail, name="detail"),
    path("<tracking:tracking_number>/rate/", views_tracking.complaint_rate, name="rate"),
    path(
        "<tracking:tracking_number>/reopen/",
        views_tracking.complaint_reopen_request,
        name="reopen",
    ),
    path("follow/", views_tracking.follow, name="follow"),
    path(
        "following/<tracking:tracking_number>/",
        views_tracking.following_detail,
        name="following",
    ),
    path(
        "following/<tracking:tracking_number>/stop/",
        views_tracking.unfollow,
        name="unfollow",
    ),
]
