"""A web worker loads at start what its first citizens would otherwise wait for (core/warmup.py),
without touching the database."""

import gc
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.template import engines

from core.warmup import site_templates, warm_up


def test_the_citizens_templates_are_warmed_and_the_staff_screens_are_not():
    names = site_templates()
    assert {"base.html", "accounts/register_account.html", "complaints/step_details.html"} <= set(
        names
    )
    assert not [name for name in names if name.startswith(("wagtailadmin/", "admin/"))]
    assert not [name for name in names if "/admin/" in name]


@pytest.mark.django_db
def test_warming_up_asks_nothing_of_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        warm_up()
    loader = engines["django"].engine.template_loaders[0]
    if hasattr(loader, "get_template_cache"):  # the cached loader (DEBUG off)
        assert any("register_account.html" in key for key in loader.get_template_cache)


def test_a_web_worker_takes_what_it_loaded_out_of_the_garbage_collectors_sight():
    """A full collection walks every tracked object (~260 ms in a web worker, inside some
    citizen's request); what cms.wsgi loaded at start is frozen instead."""
    script = "import gc, cms.wsgi; print(gc.get_freeze_count(), gc.get_count()[0])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    frozen, young = map(int, out.stdout.split())
    assert frozen > 100_000 and young < 1_000


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_freezes_what_it_loaded_before_its_first_task(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    gc.unfreeze()
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()
