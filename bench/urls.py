"""The site's URLs for the page benchmarks (bench.page_settings only): the throughput
benchmark's yardstick, and uploaded media, which nginx (or a bucket) serves in production."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path, re_path
from django.views.static import serve

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    """A fixed string through the whole middleware stack: the most a page could ever be."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
