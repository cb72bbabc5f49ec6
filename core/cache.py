"""Django's Redis cache with one Redis client per connection pool, instead of a new one for
every cache call.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a ``redis.Redis`` each
time it is asked, setting up its table of about 200 reply handlers: a session read, a rate
limit count and a page-cache look-up each paid for one. A ``redis.Redis`` is meant to be shared
(its pool hands each command a connection and knows when the process was forked), so one per
pool is kept. Settings: ``"BACKEND": "core.cache.RedisCache"``.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
