"""The registration rules on real vectors: Thai IDs, user names, passwords, phones, dates."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.forms.registration import AccountForm, BirthDateField, parse_birth_date
from accounts.validators import (
    format_thai_phone,
    mask_national_id,
    normalize_national_id,
    normalize_thai_phone,
    normalize_username,
)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("1101700230708", "1101700230708"),
        ("3100600445635", "3100600445635"),
        ("1-1017-00230-70-8", "1101700230708"),
        ("3 1006 00445 63 5", "3100600445635"),
        ("  1101700230708 ", "1101700230708"),
    ],
)
def test_valid_national_ids_are_normalized_to_13_digits(typed, digits):
    assert normalize_national_id(typed) == digits


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1101700230705", "เลขประจำตัวประชาชนไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง"),
        ("3100600445634", "เลขประจำตัวประชาชนไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง"),
        ("0100600445635", "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักแรกต้องเป็น 1-8)"),
        ("110170023070", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
        ("11017002307051", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
        ("11017OO230705", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
        ("abcdefghijklm", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
        ("", "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"),
    ],
)
def test_invalid_national_ids_are_rejected_in_thai(typed, message):
    with pytest.raises(ValidationError) as caught:
        normalize_national_id(typed)
    assert caught.value.messages == [message]


def test_national_id_is_masked_but_for_the_last_three_digits():
    assert mask_national_id("1101700230708") == "x-xxxx-xxxxx-70-8"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("somchai01", "somchai01"),
        ("Somchai01", "somchai01"),
        (" abc123 ", "abc123"),
        ("a1b2c3d4e5f6", "a1b2c3d4e5f6"),
    ],
)
def test_valid_usernames(typed, stored):
    assert normalize_username(typed) == stored


@pytest.mark.parametrize(
    "typed", ["somchai", "123456", "abc1", "abcdefghijk12", "som chai1", "สมชาย01", "somchai_01"]
)
def test_invalid_usernames(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_username(typed)
    assert "a-z" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0812345678", "+66812345678"),
        ("081-234-5678", "+66812345678"),
        ("+66 81 234 5678", "+66812345678"),
        ("02-123-4567", "+6621234567"),
        ("056 219 123", "+6656219123"),
    ],
)
def test_thai_phones_are_stored_in_e164(typed, e164):
    assert normalize_thai_phone(typed) == e164


@pytest.mark.parametrize("typed", ["12345", "", "0812345", "+1 415 555 2671", "phone"])
def test_invalid_or_foreign_phones_are_rejected(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_thai_phone(typed)
    assert "หมายเลขโทรศัพท์ไม่ถูกต้อง" in caught.value.messages[0]


def test_phone_is_shown_the_thai_way():
    assert format_thai_phone("+66812345678") == "081 234 5678"


def test_a_long_password_with_letters_and_digits_passes_the_configured_validators():
    validate_password("Nakhon2569x")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("ab12", "password_too_short"),
        ("abc123", "password_too_short"),
        ("abcdefghij", "password_no_mix"),
        ("9876543210", "password_entirely_numeric"),
        ("password1", "password_too_common"),
    ],
)
def test_weak_passwords_are_rejected_by_the_configured_validators(password, code):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert code in [error.code for error in caught.value.error_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ab12cd", "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร"),
        ("password1", "รหัสผ่านนี้ถูกใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น"),
        ("abcdefghij", "รหัสผ่านต้องมีทั้งตัวอักษรภาษาอังกฤษและตัวเลข"),
        ("somchai01x", "รหัสผ่านคล้ายกับชื่อผู้ใช้มากเกินไป กรุณาตั้งรหัสผ่านอื่น"),
    ],
)
def test_account_form_says_why_a_password_is_weak_in_thai(password, message):
    form = AccountForm(
        data={
            "national_id": "1101700230708",
            "username": "somchai01",
            "password1": password,
            "password2": password,
        }
    )
    assert not form.is_valid()
    assert message in form.errors["password1"]


@pytest.mark.django_db
def test_account_form_help_text_says_what_a_password_needs():
    help_text = str(AccountForm().fields["password1"].help_text)
    assert "8" in help_text and "ตัวเลข" in help_text
    assert "แบบฟอร์มเดิม" not in help_text  # nothing about how older forms were


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("1985-03-15", datetime.date(1985, 3, 15)),
        ("15/03/2528", datetime.date(1985, 3, 15)),
        ("15/03/1985", datetime.date(1985, 3, 15)),
        ("5/3/2528", datetime.date(1985, 3, 5)),
        ("15-03-2528", datetime.date(1985, 3, 15)),
        ("2528-03-15", datetime.date(1985, 3, 15)),
    ],
)
def test_birth_dates_in_iso_or_thai_buddhist_era(typed, date):
    assert parse_birth_date(typed) == date


@pytest.mark.parametrize("typed", ["31/02/2528", "15 มีนาคม 2528", "2528", "", "15/13/1985"])
def test_unreadable_birth_dates(typed):
    assert parse_birth_date(typed) is None


def test_birth_date_field_rejects_the_future_and_before_1900():
    field = BirthDateField()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        field.clean(tomorrow.isoformat())
    assert caught.value.messages == ["วันเกิดต้องไม่เป็นวันในอนาคต"]
    with pytest.raises(ValidationError) as caught:
        field.clean("31/12/2442")
    assert caught.value.messages == ["วันเกิดต้องไม่ก่อนปี พ.ศ. 2443 (ค.ศ. 1900)"]
    assert field.clean("01/01/2443") == datetime.date(1900, 1, 1)
