"""The citizen's profile page and the contact/address edit form."""

import pytest
from django.urls import reverse

from accounts.models import CitizenProfile
from accounts.roles import Role
from accounts.selectors import citizen_profile_for
from accounts.services import citizen_update_contact
from addresses.forms import REFRESH_FIELD
from addresses.models import District, Province, Subdistrict
from tests.accounts.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
EDIT = reverse("accounts:profile_edit")


def edit_data(**overrides):
    data = {
        "phone": "089-123-4567",
        "email": "new@example.com",
        "house_number": "12/3",
        "moo": "5",
        "soi": "ร่วมใจ",
        "road": "มาตุลี",
        "province": "60",
        "district": "6002",
        "subdistrict": Subdistrict.objects.filter(district_id="6002").order_by("code")[0].code,
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=/accounts/profile/" in response.url


def test_profile_shows_masked_id_only_and_buddhist_era_birth_date(client):
    profile = CitizenFactory(national_id="1101700230708", phone="+66812345678")
    client.force_login(profile.user)
    html = client.get(PROFILE).content.decode()
    assert "x-xxxx-xxxxx-70-8" in html
    assert "1101700230708" not in html and "1-1017-00230-70-8" not in html
    assert "15 มี.ค. 2528" in html  # 15 March 1985
    assert "081 234 5678" in html
    assert profile.full_name in html
    assert profile.user.username in html
    assert profile.address_text in html
    for url in (
        EDIT,
        reverse("accounts:password_change"),
        reverse("accounts:my_data"),
        reverse("accounts:logout"),
    ):
        assert url in html


def test_profile_never_shows_another_citizens_data(client):
    me = CitizenFactory()
    other = CitizenFactory(national_id="3100600445635", phone="+66898765432")
    client.force_login(me.user)
    for url in (PROFILE, EDIT):
        html = client.get(url).content.decode()
        assert other.last_name not in html
        assert other.user.username not in html
        assert "098 765 4321" not in html and "x-xxxx-xxxxx-63-5" not in html


def test_staff_without_profile_gets_simple_page(client):
    staff = StaffFactory(role=Role.SUPERVISOR)
    client.force_login(staff)
    html = client.get(PROFILE).content.decode()
    assert staff.username in html
    assert "หัวหน้างาน" in html
    assert 'href="/admin/"' in html
    assert client.get(EDIT).status_code == 302


def test_edit_form_is_prefilled_and_says_names_need_the_centre(client):
    profile = CitizenFactory(phone="+66812345678")
    client.force_login(profile.user)
    html = client.get(EDIT).content.decode()
    assert 'value="081 234 5678"' in html
    assert f'value="{profile.user.email}"' in html
    assert "กรุณาติดต่อศูนย์ดำรงธรรม" in html
    assert 'name="first_name"' not in html and 'name="national_id"' not in html
    assert f'name="{REFRESH_FIELD}"' in html


def test_edit_saves_contact_and_address(client):
    profile = CitizenFactory()
    client.force_login(profile.user)
    data = edit_data(first_name="แฮก")
    response = client.post(EDIT, data, follow=True)
    assert response.redirect_chain[-1][0] == PROFILE
    assert "บันทึกข้อมูลเรียบร้อยแล้ว" in response.content.decode()
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    subdistrict = Subdistrict.objects.get(pk=data["subdistrict"])
    assert profile.phone == "+66891234567"
    assert profile.user.email == "new@example.com"
    assert (profile.house_number, profile.moo, profile.soi, profile.road) == (
        "12/3",
        "5",
        "ร่วมใจ",
        "มาตุลี",
    )
    assert profile.district_id == "6002" and profile.subdistrict == subdistrict
    assert profile.postal_code == subdistrict.postal_code
    assert profile.first_name != "แฮก"


def test_a_changed_address_is_what_the_profile_and_the_complaint_form_show_next(client):
    profile = CitizenFactory()
    client.force_login(profile.user)
    before = client.get(PROFILE).content.decode()  # the old areas are kept in this process now
    assert f"อำเภอ{profile.district.name_th}" in before
    data = edit_data()
    client.post(EDIT, data)
    moved = Subdistrict.objects.select_related("district").get(pk=data["subdistrict"])
    page = client.get(PROFILE).content.decode()
    assert f"ตำบล{moved.name_th} อำเภอ{moved.district.name_th}" in page
    assert f"อำเภอ{profile.district.name_th} " not in page


def test_a_citizens_profile_is_read_with_one_query_once_its_areas_are_kept(
    django_assert_num_queries,
):
    profile = CitizenFactory()
    citizen_profile_for(user=profile.user)
    with django_assert_num_queries(1):
        again = citizen_profile_for(user=profile.user)
    assert again.user is profile.user
    assert (again.province.name_th, again.district.code, again.subdistrict.postal_code) == (
        "นครสวรรค์",
        "6001",
        profile.subdistrict.postal_code,
    )
    again.district.name_th = "changed on this copy only"
    assert citizen_profile_for(user=profile.user).district.name_th != again.district.name_th


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "หมายเลขโทรศัพท์ไม่ถูกต้อง"),
        ("email", "not-an-email", "อีเมลไม่ถูกต้อง"),
        ("district", "1018", "อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก"),  # a Bangkok district
    ],
)
def test_edit_rejects_bad_input_in_thai_and_keeps_what_was_typed(client, field, value, message):
    profile = CitizenFactory(phone="+66812345678")
    client.force_login(profile.user)
    data = edit_data(**{field: value})
    response = client.post(EDIT, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="field has-error"' in html
    assert f'value="{data["soi"]}"' in html and f'value="{data["house_number"]}"' in html
    if field != "district":
        assert f'value="{value}"' in html
    profile.refresh_from_db()
    assert profile.phone == "+66812345678" and profile.soi == ""


def test_no_js_refresh_narrows_choices_without_errors_or_saving(client):
    profile = CitizenFactory()
    client.force_login(profile.user)
    chiang_mai = Province.objects.get(pk="50")
    data = edit_data(province=chiang_mai.pk, district="6002", subdistrict="", phone="bad")
    data[REFRESH_FIELD] = "1"
    response = client.post(EDIT, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "has-error" not in html and "ไม่ถูกต้อง" not in html
    first_cm_district = District.objects.filter(province=chiang_mai).first()
    assert f'value="{first_cm_district.pk}"' in html
    assert 'value="6001"' not in html  # Nakhon Sawan districts are gone from the list
    assert 'value="bad"' in html and 'value="ร่วมใจ"' in html
    profile.refresh_from_db()
    assert profile.province_id == "60" and profile.soi == ""


def test_service_refuses_a_subdistrict_outside_the_district():
    profile = CitizenFactory()
    with pytest.raises(Exception, match="ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก"):
        citizen_update_contact(
            profile=profile,
            phone="0812345678",
            email="",
            house_number="",
            moo="",
            soi="",
            road="",
            province=Province.objects.get(pk="60"),
            district=District.objects.get(pk="6001"),
            subdistrict=Subdistrict.objects.filter(district_id="6002").first(),
        )
    assert CitizenProfile.objects.get(pk=profile.pk).district_id == "6001"
