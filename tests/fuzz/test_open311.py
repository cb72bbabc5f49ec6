"""Bad input on Open311 (a partner's POST with a valid key, the GET filters) and the open-data
files: never a 500, a refusal is the specification's error list, and a refused POST files
nothing."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from complaints.models import Complaint, StateChange
from line_integration.models import OutboundMessage
from open311.models import PartnerRequest
from tests.complaints.factories import ComplaintFactory
from tests.fuzz.strategies import ENCODINGS, form_posts, hostile_text
from tests.fuzz.support import assert_unchanged, isolated, send, snapshot
from tests.open311.support import issue_key, valid_post

pytestmark = pytest.mark.django_db

ROWS = (Complaint, StateChange, PartnerRequest, OutboundMessage)
POST_FIELDS = (
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "description",
    "media_url",
    "account_id",
    "device_id",
    "jurisdiction_id",
    "attribute[subdistrict]",
    "attribute[conceal_identity]",
    "attribute[place]",
    "attribute[title]",
)


def error_list(response) -> list:
    if response["Content-Type"].startswith("text/xml"):
        return [e.findtext("code") for e in ET.fromstring(response.content).findall("error")]
    return [e["code"] for e in json.loads(response.content)]


@pytest.fixture
def raw_key(db):
    return issue_key()[1]


@given(data=st.data())
def test_open311_post(raw_key, data):
    fixed = valid_post(raw_key)
    body, encoding, raw = data.draw(form_posts(POST_FIELDS, fixed=fixed), label="body")
    body = {**body, "api_key": data.draw(st.sampled_from([raw_key, raw_key, "", "ddc_x"]))}
    fmt = data.draw(st.sampled_from(["json", "xml"]))
    client = Client()
    with isolated(client):
        before = snapshot(*ROWS)
        response = send(
            client,
            "open311:requests",
            "POST",
            f"/open311/v2/requests.{fmt}",
            body,
            encoding=encoding if encoding in ENCODINGS else "multipart",
            raw=raw,
        )
        assert response.status_code in (201, 400, 403, 404, 429)
        if response.status_code != 201:
            assert error_list(response)
            assert_unchanged(before, ROWS, "POST requests")


filters = st.dictionaries(
    st.sampled_from(
        ["service_request_id", "service_code", "start_date", "end_date", "status", "page"]
        + ["page_size", "jurisdiction_id", "api_key"]
    ),
    st.one_of(hostile_text(), st.lists(hostile_text(oversized=False), min_size=2, max_size=3)),
    max_size=4,
)


@given(query=filters, fmt=st.sampled_from(["json", "xml"]))
def test_open311_reads(query, fmt):
    ComplaintFactory()
    client = Client()
    with isolated(client):
        response = send(client, "open311:requests", "GET", f"/open311/v2/requests.{fmt}", query)
        assert response.status_code in (200, 400, 404)
        if response.status_code != 200:
            assert error_list(response)
