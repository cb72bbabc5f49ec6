"""Shared helpers for the Open311 tests: parsing both formats, a partner's key, a valid POST."""

import json
import xml.etree.ElementTree as ET

from accounts.roles import Role
from addresses.models import Subdistrict
from open311.keys import api_key_issue
from tests.accounts.factories import StaffFactory
from tests.complaints.factories import first_category


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def as_xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<')
    return ET.fromstring(response.content)


def issue_key(partner_name="Traffy Fondue นครสวรรค์"):
    supervisor = StaffFactory(role=Role.SUPERVISOR)
    return api_key_issue(partner_name=partner_name, by=supervisor)


def subdistrict_code() -> str:
    return Subdistrict.objects.filter(district_id="6001").order_by("code").first().code


def valid_post(raw_key: str, **overrides) -> dict:
    data = {
        "api_key": raw_key,
        "jurisdiction_id": "th-60",
        "service_code": str(first_category().pk),
        "lat": "15.704512",
        "long": "100.137298",
        "address_string": "หน้าโรงเรียนวัดไทรใต้ ถนนสวรรค์วิถี",
        "first_name": "มาลี",
        "last_name": "ศรีสุข",
        "phone": "0812345678",
        "email": "malee@example.com",
        "description": "ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าโรงเรียนทุกครั้งที่ฝนตก",
        "media_url": "https://photos.example.org/report/123.jpg",
        "account_id": "traffy-998877",
        "attribute[subdistrict]": subdistrict_code(),
        "attribute[place]": "หน้าโรงเรียน",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
