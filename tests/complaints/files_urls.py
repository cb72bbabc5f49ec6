"""The project's URLs plus the evidence download route, until complaints/urls.py wires it
at the same address (/complaints/files/<pk>/)."""

from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns
from complaints import views_files

urlpatterns = [
    path("complaints/files/<int:pk>/", views_files.evidence_download, name="evidence_download"),
    *project_urlpatterns,
]
