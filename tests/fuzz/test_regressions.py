"""The server errors the bad-input sweep found, each pinned by the input that caused it.

Every one of these answered 500 before its fix; now each is refused with a 4xx (or, for the
LINE webhook, stored in a form PostgreSQL accepts) and nothing is left half saved.
"""

import json

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import CitizenProfile
from line_integration.models import WebhookEvent
from line_integration.standin.events import sign
from tests.core.robot import solved_answer
from tests.fuzz.support import multipart

pytestmark = pytest.mark.django_db

WEBHOOK = reverse("line:webhook")


def post_signed(client, body: bytes):
    headers = {"X-Line-Signature": sign(body, settings.LINE_CHANNEL_SECRET)}
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


# --- wizards: a step name that does not exist ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "management"),
    [
        ("accounts:register", "registration_wizard-current_step"),
        ("complaints:wizard", "complaint_wizard-current_step"),
    ],
)
def test_a_wizard_step_that_does_not_exist_is_a_bad_request(
    url, management, notice, consent, citizen_client
):
    """Input: current_step="<script>fz9x()</script>" (was KeyError in formtools' get_form)."""
    client = citizen_client if url == "complaints:wizard" else Client()
    if url == "complaints:wizard":
        client.post(
            reverse("complaints:new"),
            {"robot": solved_answer(), "consent_revision": consent.live_revision_id},
        )
    client.get(reverse(url))
    response = client.post(reverse(url), {management: "<script>fz9x()</script>"})
    assert response.status_code == 400


# --- NUL bytes where an area code goes ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/addresses/api/districts/?province=%00", "/addresses/api/subdistricts/?district=60%0001"],
)
def test_a_nul_byte_in_the_address_api_finds_nothing(client, path):
    """Input: province="\\x00" / district="60\\x0001" (was DataError: PostgreSQL text fields
    cannot contain NUL)."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"options": []}


def test_a_nul_byte_in_the_registration_address_step_is_a_field_error(client, notice):
    """Input: province = district = subdistrict = "\\x00" on ขั้นตอนที่ ๓."""
    client.get(reverse("accounts:register"))
    step = {"registration_wizard-current_step": "address"}
    fields = {f"address-{name}": "\x00" for name in ("province", "district", "subdistrict")}
    response = client.post(reverse("accounts:register"), {**step, **fields})
    assert response.status_code == 200
    assert "จังหวัดที่เลือกไม่ถูกต้อง" in response.content.decode()


@pytest.mark.parametrize("refresh", [False, True])
def test_a_nul_byte_in_the_profile_address_is_a_field_error(citizen_client, citizen, refresh):
    """Input: subdistrict="6\\x000" on /accounts/profile/edit/ (also with the no-JavaScript
    "show districts" button, which re-shows the form from the posted values)."""
    before = list(CitizenProfile.objects.values_list())
    data = {
        "phone": "0812345678",
        "province": "60",
        "district": "6001",
        "subdistrict": "6\x000",
    }
    if refresh:
        data["_refresh_address"] = "1"
    response = citizen_client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 200
    assert list(CitizenProfile.objects.values_list()) == before
    if not refresh:
        assert "ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก" in response.content.decode()


def test_a_nul_byte_in_the_complaint_area_is_a_field_error(citizen_client, consent):
    """Input: district="\\x00" on ขั้นตอนที่ ๒ of filing a complaint."""
    citizen_client.post(
        reverse("complaints:new"),
        {"robot": solved_answer(), "consent_revision": consent.live_revision_id},
    )
    citizen_client.get(reverse("complaints:wizard"))
    body, content_type = multipart(
        {
            "complaint_wizard-current_step": "details",
            "details-details": "ถนนพัง",
            "details-province": "60",
            "details-district": "\x00",
        }
    )
    response = citizen_client.post(reverse("complaints:wizard"), body, content_type=content_type)
    assert response.status_code == 200
    assert "อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()


def test_a_nul_byte_in_a_receipt_address_is_not_found(citizen_client):
    """Input: /complaints/done/%00/ (was DataError looking the tracking number up)."""
    assert citizen_client.get("/complaints/done/%00/").status_code == 404


# --- LINE webhook: signed bodies LINE would never send -----------------------------------------


@pytest.mark.parametrize(
    ("body", "stored_type"),
    [
        # \u0000 in a string: jsonb has no NUL (was DataError: unsupported Unicode escape).
        (rb'{"events": [{"type": "message\u0000", "webhookEventId": "e1"}]}', "message"),
        # A lone surrogate and no webhookEventId: the content hash could not encode it
        # (was UnicodeEncodeError).
        (rb'{"events": [{"type": "follow", "x": "\ud800"}]}', "follow"),
        # deliveryContext of the wrong type (was AttributeError: 'list' has no .get).
        (b'{"events": [{"type": "follow", "deliveryContext": [1]}]}', "follow"),
    ],
)
def test_signed_webhook_bodies_with_odd_json_are_stored_cleaned(client, body, stored_type):
    response = post_signed(client, body)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.event_type == stored_type
    assert "\x00" not in json.dumps(event.payload)


@pytest.mark.parametrize(
    "body",
    [
        # Numbers jsonb cannot hold (was DataError: invalid input syntax for type json).
        b'{"events": [{"type": "message", "x": 1e999}]}',
        b'{"events": [{"type": "message", "x": NaN}]}',
        # Nesting deeper than Python's parser goes (was RecursionError).
        b'{"events": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
)
def test_signed_webhook_bodies_that_cannot_be_stored_are_refused(client, body):
    response = post_signed(client, body)
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


# --- the officers' complaint screens ---------------------------------------------------------


@pytest.mark.parametrize("view", ["inspect", "edit", "delete"])
def test_a_case_id_that_is_not_a_number_is_not_found(officer_client, view):
    """Input: /admin/complaints/complaint/<view>/A/ (was ValueError: Field 'id' expected a
    number; modeladmin's URLs take any word)."""
    response = officer_client.get(f"/admin/complaints/complaint/{view}/A/")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["q=%00", "state__exact=%00", "target_district__code__exact=%00"])
def test_a_nul_byte_in_the_case_list_filters_shows_the_whole_list(officer_client, query):
    """Input: a search or filter value "\\x00" (was DataError from PostgreSQL)."""
    response = officer_client.get(f"/admin/complaints/complaint/?{query}", follow=True)
    assert response.status_code == 200
    assert "ตัวกรองในที่อยู่หน้าเว็บไม่ถูกต้อง" in response.content.decode()


# --- log-in forms that do not limit the user name --------------------------------------------


def test_a_256_character_user_name_is_a_failed_log_in(client):
    """Input: username="ก" * 256 on Django's own log-in form, which Wagtail's private-page
    log-in uses (was DataError: django-axes stored it in a 255-character column)."""
    response = client.post("/_util/login/", {"username": "ก" * 256, "password": "wrong"})
    assert response.status_code == 200
    assert all(len(a.username) <= 255 for a in AccessAttempt.objects.all())


@pytest.mark.django_db
def test_open311_refuses_a_nul_byte_in_a_request_id_with_its_error_list(client):
    """PostgreSQL refuses NUL in text: the filter answered 500 before (found by the sweep)."""
    response = client.get("/open311/v2/requests.json", {"service_request_id": "\x00"})
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("service_request_id")
