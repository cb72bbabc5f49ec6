"""Settings for bench.page_budget and bench.page_throughput: the production shape of the site
(base settings: WhiteNoise serving collected, compressed, hashed static files; DEBUG off) on
loopback, plus what only a benchmark needs:

- ``bench.urls``: the site's URLs and one bare view that answers a fixed string, the yardstick
  of the throughput benchmark. It exists here only, never in the site's own URLs.
- static files collected into the benchmark's work folder (BENCH_STATIC_ROOT), not the tree's;
- a small not-a-robot proof of work (the browser solves it in a moment; the server's share,
  one key derivation to make and one to check a challenge, is as in production);
- BENCH_PAGE_CACHE=0 takes the anonymous page cache out, to measure the pages without it.

Never use this module for anything but a benchmark on loopback.
"""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import MIDDLEWARE, STATIC_ROOT, env

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = env("BENCH_STATIC_ROOT", str(STATIC_ROOT))
ALTCHA_MAX_NUMBER = 4
if env("BENCH_PAGE_CACHE", "1") == "0":
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "core.page_cache.AnonymousPageCacheMiddleware"]
