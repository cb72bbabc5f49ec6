"""Bad input on the public endpoints: the address selects, news (list, feed, short links,
the LINE news preference), the language switch, the not-a-robot challenge, Wagtail's page and
document serving and its private-page log-in."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from addresses.forms import area_code
from news.models import NewsSubscriptionPreference
from tests.fuzz.strategies import NUMBERS, form_posts, hostile_text
from tests.fuzz.support import isolated, path_segment, send, submit

pytestmark = pytest.mark.django_db

queries = st.dictionaries(
    st.one_of(st.sampled_from(["province", "district", "category", "page"]), hostile_text()),
    st.one_of(hostile_text(), st.lists(hostile_text(oversized=False), min_size=2, max_size=3)),
    max_size=3,
)


@given(
    endpoint=st.sampled_from(["addresses:districts", "addresses:subdistricts"]),
    value=st.one_of(hostile_text(), st.sampled_from(["60", "6001", "10", ""])),
    extra=queries,
)
def test_address_selects(endpoint, value, extra):
    client = Client()
    name = "province" if endpoint == "addresses:districts" else "district"
    path = "/addresses/api/districts/" if name == "province" else "/addresses/api/subdistricts/"
    with isolated(client):
        response = send(client, endpoint, "GET", path, {**extra, name: value})
        assert response.status_code == 200
        if not area_code(value):
            assert response.json()["options"] == []


@given(query=queries, path=st.sampled_from(["/news/", "/news/feed/"]))
def test_news_list_and_feed(query, path):
    client = Client()
    with isolated(client):
        send(client, "news:index" if path == "/news/" else "news:feed", "GET", path, query)


big_ints = st.one_of(
    st.integers(min_value=0, max_value=2**70),
    st.sampled_from([n for n in NUMBERS if n.isdigit()]).map(int),
)


@given(page_id=big_ints)
def test_news_short_link(page_id):
    client = Client()
    with isolated(client):
        send(client, "news:short", "GET", f"/news/{page_id}/")


@given(form=form_posts(["receive_news"], fixed={"receive_news": "on"}))
def test_news_preferences(citizen_client, form):
    with isolated(citizen_client):
        submit(
            citizen_client,
            "news:preferences",
            "/news/preferences/",
            form,
            models=(NewsSubscriptionPreference,),
            accepted=lambda r: r.status_code == 302,
        )


@given(form=form_posts(["language", "next"], fixed={"language": "en", "next": "/news/"}))
def test_language_switch(form):
    client = Client()
    with isolated(client):
        response, _ = submit(client, "set_language", "/i18n/setlang/", form)
        location = response.get("Location", "")
        assert not location.startswith(("//", "http")), f"redirected off the site: {location}"


@given(query=queries, method=st.sampled_from(["GET", "HEAD", "POST", "PUT"]))
def test_robot_check_challenge(query, method):
    """The not-a-robot challenge address: a fresh challenge for a GET, whatever the query
    string; other methods are refused (405), never a 500."""
    client = Client()
    with isolated(client):
        send(client, "core:robot-check-challenge", method, "/robot-check/challenge/", query)


@given(
    segments=st.lists(
        st.one_of(st.from_regex(r"[\w\-]{1,40}", fullmatch=True), hostile_text(oversized=False)),
        min_size=1,
        max_size=4,
    ),
    query=queries,
)
def test_wagtail_pages(segments, query):
    client = Client()
    path = "/" + "/".join(path_segment(s) or "x" for s in segments) + "/"
    with isolated(client):
        send(client, "wagtail_serve", "GET", path, query)


@given(doc_id=big_ints, name=hostile_text(oversized=False))
def test_wagtail_documents(doc_id, name):
    client = Client()
    with isolated(client):
        send(client, "wagtaildocs_serve", "GET", f"/documents/{doc_id}/{path_segment(name)}")


@given(
    form=form_posts(["username", "password", "next", "return_url"]),
    ids=st.tuples(big_ints, big_ints),
)
def test_wagtail_private_page_logins(form, ids):
    client = Client()
    with isolated(client):
        submit(client, "wagtailcore_login", "/_util/login/", form)
        path = "/_util/authenticate_with_password/{}/{}/".format(*ids)
        submit(client, "wagtailcore_authenticate_with_password", path, form)
        submit(
            client,
            "wagtaildocs_authenticate_with_password",
            f"/documents/authenticate_with_password/{ids[0]}/",
            form,
        )
