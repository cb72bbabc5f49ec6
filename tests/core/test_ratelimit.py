"""The rate-limit store (core/ratelimit.py): counts per key, kept where every process sees
them (a table of the site's database unless REDIS_URL is set), holding nothing readable."""

import subprocess
import sys

import pytest
from django.core.cache import caches
from django.db import connection

from core.ratelimit import Rate, allow
from tests.deploy.support import ROOT, child_database_url, postgres_only

RATE = Rate(3, 3600)


@pytest.mark.django_db
def test_counts_per_key_up_to_the_limit():
    assert [allow("test", "somchai@example.com", RATE) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert allow("test", "somying@example.com", RATE)
    assert allow("other-test", "somchai@example.com", RATE)


@pytest.mark.django_db
def test_the_counts_sit_in_the_databases_table_with_no_address_readable():
    assert caches["ratelimit"].__class__.__name__ == "DatabaseCache"
    allow("test", "somchai@example.com", RATE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM core_rate_limits")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 1
    assert "somchai" not in keys[0] and "example" not in keys[0]


CHILD = """
import django
django.setup()
from core.ratelimit import Rate, allow
print([allow("test", "203.0.113.10", Rate(3, 3600)) for _ in range(2)])
"""


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_another_process_counts_against_the_same_limit():
    """Two gunicorn workers (or two web nodes) share the counts: a process of its own uses
    two attempts, this one then has one left."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": child_database_url(),
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip().splitlines()[-1] == "[True, True]"
    assert [allow("test", "203.0.113.10", RATE) for _ in range(2)] == [True, False]
