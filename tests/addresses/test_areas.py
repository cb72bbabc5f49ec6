import pytest
from django import forms

from addresses.forms import AddressFieldsMixin
from addresses.models import District, Province, Subdistrict
from core.choices import forget_static_options

pytestmark = pytest.mark.django_db


def test_all_of_thailand_is_loaded_with_official_codes():
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    nakhon_sawan = Province.objects.get(code="60")
    assert nakhon_sawan.name_th == "นครสวรรค์"
    assert nakhon_sawan.districts.count() == 15
    pak_nam_pho = Subdistrict.objects.get(code="600101")
    assert pak_nam_pho.name_th == "ปากน้ำโพ"
    assert pak_nam_pho.district.name_th == "เมืองนครสวรรค์"
    assert pak_nam_pho.postal_code == "60000"


def test_district_api_lists_only_the_chosen_province(client):
    options = client.get("/addresses/api/districts/", {"province": "60"}).json()["options"]
    assert len(options) == 15
    assert {"value": "6001", "label": "เมืองนครสวรรค์"} in options
    assert all(option["value"].startswith("60") for option in options)


def test_subdistrict_api_lists_only_the_chosen_district_with_postal_codes(client):
    options = client.get("/addresses/api/subdistricts/", {"district": "6001"}).json()["options"]
    assert len(options) == Subdistrict.objects.filter(district_id="6001").count()
    assert {"value": "600101", "label": "ปากน้ำโพ", "postal_code": "60000"} in options


def test_a_list_is_read_once_per_process_and_language(client, settings, django_assert_num_queries):
    forget_static_options()
    first = client.get("/addresses/api/districts/", {"province": "60"})
    with django_assert_num_queries(0):
        again = client.get("/addresses/api/districts/", {"province": "60"})
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert again["Cache-Control"] == "private, max-age=3600"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/addresses/api/districts/", {"province": "60"}).json()["options"]
    assert {"value": "6001", "label": "Mueang Nakhon Sawan"} in english
    other = client.get("/addresses/api/districts/", {"province": "10"}).json()["options"]
    assert all(option["value"].startswith("10") for option in other)


def test_unknown_codes_give_empty_lists_not_errors(client):
    response = client.get("/addresses/api/districts/", {"province": "<script>"})
    assert response.status_code == 200
    assert response.json() == {"options": []}


class AddressForm(AddressFieldsMixin, forms.Form):
    pass


def test_form_accepts_a_consistent_address():
    form = AddressForm(data={"province": "60", "district": "6001", "subdistrict": "600101"})
    assert form.is_valid(), form.errors


def test_form_rejects_a_district_outside_the_province():
    # 1001 is Phra Nakhon, Bangkok.
    form = AddressForm(data={"province": "60", "district": "1001", "subdistrict": "100101"})
    assert not form.is_valid()
    assert "อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก" in form.errors["district"][0]


def test_form_rejects_a_subdistrict_outside_the_district():
    # 600201 belongs to Krok Phra, not Mueang Nakhon Sawan.
    form = AddressForm(data={"province": "60", "district": "6001", "subdistrict": "600201"})
    assert not form.is_valid()
    assert "ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก" in form.errors["subdistrict"][0]


def test_form_narrows_choices_to_what_was_chosen():
    form = AddressForm(data={"province": "60", "district": "6001"})
    district_codes = {d.code for d in form.fields["district"].queryset}
    assert district_codes == set(
        District.objects.filter(province_id="60").values_list("code", flat=True)
    )
    assert form.fields["subdistrict"].queryset.count() == 17


def test_unbound_form_narrows_from_initial_values():
    form = AddressForm(initial={"province": "60", "district": "6001"})
    assert form.fields["district"].queryset.count() == 15
    assert form.fields["subdistrict"].queryset.count() == 17
