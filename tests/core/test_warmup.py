"""A web worker loads at start what its first citizens would otherwise wait for (core/warmup.py),
without touching the database."""

import pytest
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
