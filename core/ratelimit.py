"""How often one person may do something that costs others (mails sent, officers' attention,
one-account-per-ID checks): a count per key in fixed windows, kept in the "ratelimit" cache.

That cache is shared by every web process and node (cms/settings/base.py): Redis when
REDIS_URL is set (atomic counts), else a table in the site's own database, like the page
cache. A per-process memory cache would let each gunicorn worker count on its own, so the
real limit would be the worker count times the rule. In the database, two requests landing at
the same instant may both be counted as one; a limit can then be passed by the number of
requests in flight, which still stops a flood.

Keys are HMACs (SECRET_KEY) of what they count, so the cache holds no e-mail address or
account name readable.
"""

import time
from dataclasses import dataclass

from django.core.cache import caches
from django.utils.crypto import salted_hmac

CACHE = "ratelimit"


@dataclass(frozen=True)
class Rate:
    limit: int  # attempts allowed
    seconds: int  # per window of this length


def allow(scope: str, key, rate: Rate) -> bool:
    """Count one attempt of ``scope`` by ``key`` (an account, an address, an e-mail); False
    once more than ``rate.limit`` were counted in the current window. A missing key (no client
    address) shares one count per scope."""
    cache = caches[CACHE]
    window = int(time.time() // rate.seconds)
    digest = salted_hmac(f"ratelimit:{scope}", str(key or "")).hexdigest()[:32]
    name = f"rl:{scope}:{digest}:{window}"
    cache.add(name, 0, timeout=rate.seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, timeout=rate.seconds)
        count = 1
    return count <= rate.limit
