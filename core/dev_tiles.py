"""Map tiles under `make run` (DEBUG only): production has nginx fetch and cache them
(deploy/nginx/ddc.conf), so the phone only ever talks to this site in both."""

import urllib.error
import urllib.request

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.views.decorators.cache import cache_control

USER_AGENT = "ddc-nakhonsawan-complaints-dev (Damrongdhamma Center complaints platform)"


@cache_control(max_age=7 * 24 * 3600)
def map_tile(request, z: int, x: int, y: int):
    if z > 19 or x >= 2**z or y >= 2**z:
        return HttpResponseNotFound()
    url = settings.MAP_TILE_UPSTREAM.format(z=z, x=x, y=y)
    try:
        upstream = urllib.request.urlopen(
            urllib.request.Request(url, headers={"User-Agent": USER_AGENT}), timeout=5
        )
        with upstream:
            body = upstream.read(512 * 1024)
    except (urllib.error.URLError, OSError, ValueError):
        return HttpResponseNotFound()  # offline: the map shows without its background
    return HttpResponse(body, content_type="image/png")
