"""The project's URLs plus the simulator, as cms/urls.py mounts it when DEBUG and the
stand-in are on (tests run with DEBUG off, so they mount it themselves)."""

from django.urls import include, path

from cms.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("dev/line/", include("line_integration.dev_urls")), *project_urlpatterns]
