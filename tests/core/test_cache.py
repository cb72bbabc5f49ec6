"""The Redis cache keeps one client per connection pool (core/cache.py) instead of building a
new one for every cache call."""

from core.cache import RedisCache


def test_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6399/1", {})
    client = cache._cache
    first = client.get_client("session-key")
    assert client.get_client("other-key") is first
    assert client.get_client("session-key", write=True) is first  # one server: one pool
    assert first.connection_pool is client._get_connection_pool(False)


def test_several_servers_keep_a_client_each():
    cache = RedisCache("redis://127.0.0.1:6399/1,redis://127.0.0.1:6398/1", {})
    client = cache._cache
    writer = client.get_client(write=True)
    reader = client.get_client()
    assert writer is not reader
    assert writer.connection_pool is not reader.connection_pool
    assert client.get_client(write=True) is writer
