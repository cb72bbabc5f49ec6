"""The registration wizard through the test client, the way a citizen's browser posts it.

Vectors: 1101700230708 and 3100600445635 are valid Thai IDs; 1101700230705 fails the checksum.
Nakhon Sawan is province 60; เมืองนครสวรรค์ 6001 holds กลางแดด 600102 (postal code 60000);
6002 is another district of the province and 1018 a district of Bangkok.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.crypto import lookup_hash
from accounts.models import CitizenProfile, ConsentRecord, PrivacyNotice
from accounts.services.registration import citizen_register
from accounts.setup import ensure_privacy_notice
from addresses.models import District, Province, Subdistrict
from core.models import UsedChallenge
from tests.core.robot import solved_answer

User = get_user_model()
URL = reverse("accounts:register")
MANAGEMENT = "registration_wizard-current_step"
PASSWORD = "Nakhon2569x"
ACCOUNT = {
    "national_id": "1-1017-00230-70-8",
    "username": "Somchai01",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
PERSON = {
    "title": "นาย",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "birth_date": "1985-03-15",
    "phone": "081-234-5678",
    "email": "somchai@example.com",
}
ADDRESS = {
    "house_number": "99/1",
    "moo": "3",
    "soi": "",
    "road": "สวรรค์วิถี",
    "province": "60",
    "district": "6001",
    "subdistrict": "600102",
}


@pytest.fixture
def notice(db):
    ensure_privacy_notice()
    return PrivacyNotice.current()


def post(client, step, data, **extra):
    payload = {MANAGEMENT: step, **{f"{step}-{key}": value for key, value in data.items()}}
    payload.update(extra)
    return client.post(URL, payload)


def confirm(client, notice, accept=True, robot=True):
    data = {"notice_revision": notice.live_revision_id}
    if accept:
        data["accept_privacy_notice"] = "on"
    if robot:
        data["robot"] = solved_answer(client)
    return post(client, "confirm", data)


def fill_until(client, last_step, account=None, person=None, address=None):
    steps = [
        ("account", account or ACCOUNT),
        ("person", person or PERSON),
        ("address", address or ADDRESS),
    ]
    client.get(URL)
    response = None
    for step, data in steps:
        response = post(client, step, data)
        if step == last_step:
            break
    return response


def current_step(response) -> str:
    return response.context["wizard"]["steps"].current


def field_errors(response, field) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def existing_citizen(national_id="3100600445635", username="somying22"):
    return citizen_register(
        account={"national_id": national_id, "username": username, "password": PASSWORD},
        person={
            **PERSON,
            "first_name": "สมหญิง",
            "phone": "+66812345679",
            "birth_date": datetime.date(1990, 1, 2),
        },
        address={
            "province": Province.objects.get(pk="60"),
            "district": District.objects.get(pk="6001"),
            "subdistrict": Subdistrict.objects.get(pk="600102"),
        },
        notice=PrivacyNotice.current(),
        ip_address="203.0.113.9",
    )


# --- the happy path ----------------------------------------------------------------------


def test_first_step_shows_the_seed_fields_and_thai_step_number(client, notice):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ขั้นตอนที่ ๑ จาก ๔" in html
    for label in ("เลขประจำตัวประชาชน", "ชื่อผู้ใช้", "รหัสผ่าน", "ยืนยันรหัสผ่าน"):
        assert f'{label}</label><span class="required" aria-hidden="true">*</span>' in html
    assert "ประกอบด้วยอักษร a-z ผสมเลข 0-9 จำนวน 6-12 ตัว" in html
    assert 'aria-describedby="id_account-username_helptext"' in html


def test_full_registration_creates_user_profile_and_consent_and_logs_in(client, notice):
    fill_until(client, "address")
    confirm_page = client.get(URL)
    html = confirm_page.content.decode()
    assert "ขั้นตอนที่ ๔ จาก ๔" in html
    assert "x-xxxx-xxxxx-70-8" in html and "1101700230708" not in html
    assert PASSWORD not in html
    assert "ข้าพเจ้าได้อ่านและยอมรับประกาศความเป็นส่วนตัว" in html
    assert notice.title in html and "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล" in html
    assert "15 มี.ค. 2528" in html and "081 234 5678" in html and "60000" in html

    response = confirm(client, notice)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert "ลงทะเบียนเรียบร้อยแล้ว" in [str(m) for m in get_messages(response.wsgi_request)]
    user = User.objects.get(username="somchai01")
    assert user.check_password(PASSWORD)
    assert (user.email, user.first_name, user.last_name) == ("somchai@example.com", "สมชาย", "ใจดี")
    assert int(client.session["_auth_user_id"]) == user.pk
    profile = user.citizen_profile
    assert profile.national_id == "1101700230708"
    assert profile.national_id_hash == lookup_hash("1101700230708")
    assert profile.birth_date == datetime.date(1985, 3, 15)
    assert profile.phone == "+66812345678"
    assert (profile.province_id, profile.district_id, profile.subdistrict_id) == (
        "60",
        "6001",
        "600102",
    )
    assert profile.postal_code == "60000"
    assert (profile.house_number, profile.moo, profile.road) == ("99/1", "3", "สวรรค์วิถี")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_id_encrypted FROM accounts_citizenprofile WHERE id = %s",
            [profile.pk],
        )
        stored = cursor.fetchone()[0]
    assert "1101700230708" not in stored and "70230708" not in stored
    consent = ConsentRecord.objects.get(user=user)
    assert consent.kind == ConsentRecord.Kind.PRIVACY_NOTICE
    assert consent.revision_id == notice.live_revision_id
    assert consent.text_title == notice.title
    assert consent.ip_address == "127.0.0.1"


def test_buddhist_era_birth_date_is_accepted(client, notice):
    fill_until(client, "address", person={**PERSON, "birth_date": "15/03/2528"})
    confirm(client, notice)
    assert User.objects.get(username="somchai01").citizen_profile.birth_date == (
        datetime.date(1985, 3, 15)
    )


def test_plain_password_never_sits_in_the_session(client, notice):
    fill_until(client, "address")
    assert PASSWORD not in json.dumps(dict(client.session.items()), default=str)


def test_logged_in_user_is_sent_to_the_profile(client, notice):
    user = existing_citizen()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")


# --- every error path: Thai message beside the field, what was typed still there ------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1101700230705", "เลขประจำตัวประชาชนไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง"),
        ("110170023070", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
        ("1101700abc708", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
    ],
)
def test_bad_national_id(client, notice, typed, message):
    client.get(URL)
    response = post(client, "account", {**ACCOUNT, "national_id": typed})
    assert current_step(response) == "account"
    assert field_errors(response, "national_id") == [message]
    html = response.content.decode()
    assert f'value="{typed}"' in html and 'value="Somchai01"' in html
    assert 'aria-invalid="true"' in html and 'id="id_account-national_id_error"' in html
    assert "กรุณากรอกรหัสผ่านทั้งสองช่องอีกครั้ง" in html


def test_duplicate_national_id_even_with_dashes(client, notice):
    existing_citizen(national_id="3100600445635")
    client.get(URL)
    response = post(client, "account", {**ACCOUNT, "national_id": "3-1006-00445-63-5"})
    assert field_errors(response, "national_id") == ["เลขประจำตัวประชาชนนี้ลงทะเบียนแล้ว"]


def test_duplicate_username_in_another_case(client, notice):
    existing_citizen(username="somchai01")
    client.get(URL)
    response = post(client, "account", {**ACCOUNT, "username": "SomChai01"})
    assert field_errors(response, "username") == ["ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"]
    assert 'value="SomChai01"' in response.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc123", "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร"),
        ("abcdefghij", "รหัสผ่านต้องมีทั้งตัวอักษรภาษาอังกฤษและตัวเลข"),
        ("password1", "รหัสผ่านนี้ถูกใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น"),
    ],
)
def test_weak_password(client, notice, password, message):
    client.get(URL)
    response = post(client, "account", {**ACCOUNT, "password1": password, "password2": password})
    assert current_step(response) == "account"
    assert message in field_errors(response, "password1")


def test_mismatched_passwords(client, notice):
    client.get(URL)
    response = post(client, "account", {**ACCOUNT, "password2": "Nakhon2569y"})
    assert field_errors(response, "password2") == ["รหัสผ่านทั้งสองช่องไม่ตรงกัน"]


def test_required_fields_are_asked_for_in_thai(client, notice):
    client.get(URL)
    response = post(client, "account", {})
    assert field_errors(response, "national_id") == ["กรุณากรอกเลขประจำตัวประชาชน"]
    assert field_errors(response, "username") == ["กรุณากรอกชื่อผู้ใช้"]
    assert field_errors(response, "password1") == ["กรุณาตั้งรหัสผ่าน"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"birth_date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()},
            "birth_date",
            "วันเกิดต้องไม่เป็นวันในอนาคต",
        ),
        ({"birth_date": "1899-12-31"}, "birth_date", "วันเกิดต้องไม่ก่อนปี พ.ศ. 2443 (ค.ศ. 1900)"),
        (
            {"phone": "12345"},
            "phone",
            "หมายเลขโทรศัพท์ไม่ถูกต้อง กรุณากรอกเบอร์โทรศัพท์ในประเทศไทย เช่น 0812345678",
        ),
        (
            {"phone": "+1 415 555 2671"},
            "phone",
            "หมายเลขโทรศัพท์ไม่ถูกต้อง กรุณากรอกเบอร์โทรศัพท์ในประเทศไทย เช่น 0812345678",
        ),
        ({"email": "somchai@"}, "email", "รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@example.com"),
        ({"title": ""}, "title", "กรุณาเลือกคำนำหน้าชื่อ"),
    ],
)
def test_person_step_errors_keep_what_was_typed(client, notice, changes, field, message):
    response = fill_until(client, "person", person={**PERSON, **changes})
    assert current_step(response) == "person"
    assert field_errors(response, field) == [message]
    html = response.content.decode()
    assert 'value="สมชาย"' in html and 'value="ใจดี"' in html
    typed = next(iter(changes.values()))
    if typed:
        assert f'value="{typed}"' in html


def test_district_outside_the_province(client, notice):
    response = fill_until(client, "address", address={**ADDRESS, "district": "1018"})
    assert current_step(response) == "address"
    assert field_errors(response, "district") == ["อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก"]
    assert 'value="99/1"' in response.content.decode()


def test_subdistrict_outside_the_district(client, notice):
    response = fill_until(client, "address", address={**ADDRESS, "subdistrict": "600205"})
    assert field_errors(response, "subdistrict") == ["ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก"]


def test_missing_consent_checkbox(client, notice):
    fill_until(client, "address")
    response = confirm(client, notice, accept=False)
    assert current_step(response) == "confirm"
    assert field_errors(response, "accept_privacy_notice") == [
        "กรุณาอ่านและทำเครื่องหมายยอมรับประกาศความเป็นส่วนตัวก่อนลงทะเบียน"
    ]
    assert not User.objects.filter(username="somchai01").exists()


# --- the not-a-robot check, once per registration ------------------------------------------


def test_the_last_step_asks_for_the_not_a_robot_check(client, notice):
    fill_until(client, "address")
    html = client.get(URL).content.decode()
    assert '<label for="id_confirm-robot">ฉันไม่ใช่โปรแกรมอัตโนมัติ</label>' in html
    assert 'data-challenge-url="/robot-check/challenge/"' in html
    assert "vendor/altcha/altcha.min.js" in html


def test_registering_without_the_check_is_refused_beside_the_box(client, notice):
    fill_until(client, "address")
    response = confirm(client, notice, robot=False)
    assert current_step(response) == "confirm"
    assert field_errors(response, "robot") == ["กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” ก่อนกดปุ่มด้านล่าง"]
    html = response.content.decode()
    assert 'id="id_confirm-robot_error"' in html
    # What the citizen ticked is still ticked.
    assert re.search(r'name="confirm-accept_privacy_notice"[^>]* checked', html)
    assert not User.objects.filter(username="somchai01").exists()


def test_a_check_passed_stays_passed_while_the_privacy_box_is_ticked(client, notice):
    fill_until(client, "address")
    answer = solved_answer(client)
    data = {"notice_revision": notice.live_revision_id, "robot": answer}
    response = post(client, "confirm", data)
    assert field_errors(response, "accept_privacy_notice") and not field_errors(response, "robot")
    assert f'name="confirm-robot" value="{answer}"' in response.content.decode()
    assert UsedChallenge.objects.count() == 0
    response = post(client, "confirm", {**data, "accept_privacy_notice": "on"})
    assert response.url == reverse("accounts:profile")
    assert UsedChallenge.objects.count() == 1


def test_one_answer_registers_one_account(client, notice):
    """A script that solved one challenge cannot register a second account with it."""
    fill_until(client, "address")
    answer = solved_answer(client)
    data = {"notice_revision": notice.live_revision_id, "accept_privacy_notice": "on"}
    assert post(client, "confirm", {**data, "robot": answer}).status_code == 302

    other = Client()
    account = {**ACCOUNT, "national_id": "3100600445635", "username": "somying22"}
    fill_until(other, "address", account=account, person={**PERSON, "phone": "0812345679"})
    response = post(other, "confirm", {**data, "robot": answer})
    assert current_step(response) == "confirm"
    assert field_errors(response, "robot")[0].startswith("การยืนยันนี้ใช้ไปแล้ว")
    assert not User.objects.filter(username="somying22").exists()


def test_the_check_is_not_asked_again_when_another_step_must_be_fixed(client, notice):
    """Passed once, the check holds for the rest of this registration: sent back to step one
    (the ID was taken meanwhile), the citizen fixes it and registers without a second tap."""
    fill_until(client, "address")
    existing_citizen(national_id="1101700230708")
    response = confirm(client, notice)
    assert current_step(response) == "account"
    post(client, "account", {**ACCOUNT, "national_id": "3100600445635"})
    post(client, "person", PERSON)
    response = post(client, "address", ADDRESS)
    assert "ยืนยันแล้วว่าไม่ใช่โปรแกรมอัตโนมัติ" in response.content.decode()
    response = confirm(client, notice, robot=False)
    assert response.url == reverse("accounts:profile")
    assert UsedChallenge.objects.count() == 1


def test_notice_republished_while_reading_is_shown_again(client, notice):
    fill_until(client, "address")
    notice.body = "<p>ฉบับปรับปรุงใหม่</p>"
    notice.save_revision().publish()
    response = post(
        client,
        "confirm",
        {"notice_revision": notice.live_revision_id - 1, "accept_privacy_notice": "on"},
    )
    assert current_step(response) == "confirm"
    assert "ฉบับปรับปรุงใหม่" in response.content.decode()
    assert not User.objects.filter(username="somchai01").exists()
    response = confirm(client, PrivacyNotice.current())
    consent = ConsentRecord.objects.get(user__username="somchai01")
    assert consent.revision_id == PrivacyNotice.current().live_revision_id


def test_id_registered_by_someone_else_meanwhile_sends_back_to_step_one(client, notice):
    fill_until(client, "address")
    existing_citizen(national_id="1101700230708")
    response = confirm(client, notice)
    assert current_step(response) == "account"
    assert field_errors(response, "national_id") == ["เลขประจำตัวประชาชนนี้ลงทะเบียนแล้ว"]
    html = response.content.decode()
    assert 'value="Somchai01"' in html
    response = post(
        client,
        "account",
        {**ACCOUNT, "national_id": "3100600445635", "password1": "", "password2": ""},
    )
    assert current_step(response) == "person"
    assert 'value="สมชาย"' in response.content.decode()


def test_service_rechecks_uniqueness_inside_its_transaction(notice):
    existing_citizen(national_id="1101700230708", username="somchai01")
    with pytest.raises(ValidationError) as caught:
        existing_citizen(national_id="1-1017-00230-70-8", username="other123")
    assert caught.value.message_dict == {"national_id": ["เลขประจำตัวประชาชนนี้ลงทะเบียนแล้ว"]}
    with pytest.raises(ValidationError) as caught:
        existing_citizen(national_id="3100600445635", username="SOMCHAI01")
    assert set(caught.value.message_dict) == {"username"}
    assert User.objects.count() == 1 and CitizenProfile.objects.count() == 1


# --- back, refresh, resume ---------------------------------------------------------------


def test_back_keeps_the_step_being_left_and_the_steps_before(client, notice):
    fill_until(client, "account")
    half_typed = {**PERSON, "phone": "12345", "email": ""}
    response = post(client, "person", half_typed, wizard_goto_step="account")
    assert current_step(response) == "account"
    html = response.content.decode()
    assert 'value="Somchai01"' in html and 'value="1-1017-00230-70-8"' in html
    assert "เว้นว่างไว้หากไม่ต้องการเปลี่ยน" in html
    assert not response.context["form"].errors

    response = post(client, "account", {**ACCOUNT, "password1": "", "password2": ""})
    assert current_step(response) == "person"
    html = response.content.decode()
    assert 'value="สมชาย"' in html and 'value="12345"' in html
    assert 'class="errorlist' not in html


def test_back_from_the_summary_keeps_the_address(client, notice):
    fill_until(client, "address")
    response = post(client, "confirm", {}, wizard_goto_step="address")
    assert current_step(response) == "address"
    html = response.content.decode()
    assert '<option value="600102" selected>' in html and 'value="99/1"' in html


def test_no_javascript_refresh_narrows_districts_without_errors(client, notice):
    fill_until(client, "person")
    refresh = "address-_refresh_address"
    response = post(
        client,
        "address",
        {"house_number": "7", "province": "60", "district": "", "subdistrict": ""},
        **{refresh: "1"},
    )
    assert current_step(response) == "address"
    html = response.content.decode()
    assert '<option value="6001">เมืองนครสวรรค์</option>' in html
    assert 'value="1018"' not in html
    assert 'class="errorlist' not in html and 'value="7"' in html
    assert "แสดงอำเภอ/ตำบล" in html and "js/address-select" in html

    response = post(
        client,
        "address",
        {"house_number": "7", "province": "60", "district": "6001", "subdistrict": ""},
        **{refresh: "1"},
    )
    html = response.content.decode()
    assert '<option value="600102">กลางแดด</option>' in html
    assert 'value="600205"' not in html and 'class="errorlist' not in html


def test_opening_the_page_again_continues_and_restart_clears(client, notice):
    fill_until(client, "person")
    response = client.get(URL)
    assert current_step(response) == "address"
    response = client.get(URL + "?restart=1")
    assert current_step(response) == "account"
    assert 'value="Somchai01"' not in response.content.decode()
