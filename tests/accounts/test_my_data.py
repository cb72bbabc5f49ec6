"""ข้อมูลของฉัน (PDPA): the page and the JSON copy, each only ever of the logged-in citizen,
covering what every app keeps (complaints, LINE link, news choice, live chat)."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import selectors
from accounts.models import AccountClosureRequest, ConsentRecord, PrivacyNotice
from accounts.roles import Role
from chat import services as chat_services
from chat.models import Conversation
from complaints.models import State
from complaints.workflow import complaint_change_state
from core.registry import AlreadyRegistered
from core.thai_dates import format_thai_datetime
from line_integration.models import LineAccount
from news.services import set_news_preference
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.factories import ComplaintFactory, EvidenceFileFactory
from tests.complaints.workflow_support import grant_case_permissions, link_line, officer

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:my_data")
DOWNLOAD = reverse("accounts:my_data_download")


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def give_consent(user, ip="203.0.113.7"):
    notice = PrivacyNotice.current()
    return ConsentRecord.objects.create(
        user=user,
        kind=ConsentRecord.Kind.PRIVACY_NOTICE,
        revision=notice.live_revision,
        text_title=notice.title,
        ip_address=ip,
    )


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_login_required(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_page_shows_every_field_masked_id_and_consents(client):
    profile = CitizenFactory(national_id="1101700230708", soi="เพชรเกษม 2")
    consent = give_consent(profile.user)
    client.force_login(profile.user)
    html = client.get(PAGE).content.decode()
    assert "x-xxxx-xxxxx-70-8" in html and "1101700230708" not in html
    for value in (
        profile.first_name,
        profile.last_name,
        profile.title,
        profile.house_number,
        profile.road,
        "เพชรเกษม 2",
        profile.subdistrict.name_th,
        "เมืองนครสวรรค์",
        "นครสวรรค์",
        profile.postal_code,
        "15 มี.ค. 2528",
        profile.user.email,
    ):
        assert value in html, value
    assert "ประกาศความเป็นส่วนตัว (ลงทะเบียน)" in html
    assert consent.text_title in html
    assert f"ฉบับแก้ไขที่ {consent.revision_id}" in html
    assert "203.0.113.7" in html
    shown = format_thai_datetime(consent.accepted_at)
    assert str(timezone.localtime(consent.accepted_at).year + 543) in shown
    assert shown in html
    assert DOWNLOAD in html


def test_download_is_a_json_attachment_with_full_id_and_consents(client):
    profile = CitizenFactory(national_id="3100600445635")
    give_consent(profile.user)
    AccountClosureRequest.objects.create(
        user=profile.user, username=profile.user.username, reason="ย้ายที่อยู่"
    )
    other = CitizenFactory(national_id="1101700230708")
    give_consent(other.user, ip="198.51.100.9")
    client.force_login(profile.user)

    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="my-data-{profile.user.username}.json"'
    )
    data = json.loads(response.content)
    assert data["account"]["username"] == profile.user.username
    assert data["profile"]["national_id"] == "3100600445635"
    assert data["profile"]["first_name"] == profile.first_name
    assert data["profile"]["district"] == {"code": "6001", "name": "เมืองนครสวรรค์"}
    assert data["profile"]["birth_date"] == "1985-03-15"
    [consent] = data["consents"]
    assert consent["kind"] == "privacy_notice"
    assert consent["revision_id"] == PrivacyNotice.current().live_revision_id
    assert consent["ip_address"] == "203.0.113.7"
    [closure] = data["closure_requests"]
    assert closure["reason"] == "ย้ายที่อยู่" and closure["status"] == "pending"
    raw = response.content.decode()
    assert "1101700230708" not in raw and "198.51.100.9" not in raw
    assert other.user.username not in raw


def test_other_apps_add_sections_and_page_lines(client):
    profile = CitizenFactory()
    with selectors.EXPORT_SECTIONS.temporarily():
        selectors.register_export_section(
            "parcels",
            lambda user: [user.username],
            summary=lambda user: selectors.DataSummary("พัสดุที่รอรับ", "3 ชิ้น", "/parcels/"),
        )
        data = selectors.citizen_data_export(user=profile.user)
        client.force_login(profile.user)
        html = squash(client.get(PAGE).content.decode())
    assert data["parcels"] == [profile.user.username]
    assert '<dt>พัสดุที่รอรับ</dt> <dd><a href="/parcels/">3 ชิ้น</a></dd>' in html
    assert "parcels" not in selectors.citizen_data_export(user=profile.user)


def test_a_section_name_registers_once_unless_it_overrides():
    with selectors.EXPORT_SECTIONS.temporarily():
        with pytest.raises(AlreadyRegistered, match="complaints"):
            selectors.register_export_section("complaints", lambda user: [])
        selectors.register_export_section("complaints", lambda user: ["x"], override=True)
        assert selectors.citizen_data_export(user=CitizenFactory().user)["complaints"] == ["x"]


def test_download_holds_my_complaint_line_link_and_chat_and_no_one_elses(client):
    """PDPA section 30: the copy covers what every app keeps about the citizen."""
    grant_case_permissions()
    profile = CitizenFactory()
    staff = officer(first_name="ประยูร", last_name="ลับเฉพาะ")
    complaint = ComplaintFactory(profile=profile, details="ถนนทรุดหน้าโรงเรียน-MINE")
    EvidenceFileFactory(complaint=complaint, original_name="ถนนทรุด.jpg")
    complaint_change_state(
        complaint=complaint,
        to=State.IN_PROGRESS,
        by=staff,
        public_note="ส่งเรื่องให้เทศบาลตรวจสอบแล้ว-PUBLIC",
        internal_note="ผู้ร้องเป็นญาติปลัด-INTERNAL",
    )
    line_id = link_line(profile.user)
    set_news_preference(user=profile.user, receive_news=False)
    conversation, _created = chat_services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=profile.user
    )
    chat_services.citizen_message_receive(conversation=conversation, text="ขอเบอร์เทศบาล-CHAT")
    chat_services.officer_reply(conversation=conversation, officer=staff, text="โทร 056-000000")
    other = CitizenFactory()
    other_complaint = ComplaintFactory(profile=other, details="เรื่องของคนอื่น-OTHER")
    theirs, _created = chat_services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=other.user
    )
    chat_services.citizen_message_receive(conversation=theirs, text="แชทของคนอื่น-OTHERCHAT")
    client.force_login(profile.user)

    raw = client.get(DOWNLOAD).content.decode()
    data = json.loads(raw)

    [mine] = data["complaints"]
    assert mine["tracking_number"] == complaint.tracking_number
    assert mine["details"] == "ถนนทรุดหน้าโรงเรียน-MINE"
    assert "ส่งเรื่องให้เทศบาลตรวจสอบแล้ว-PUBLIC" in [step["note"] for step in mine["timeline"]]
    assert [f["original_name"] for f in mine["files"]] == ["ถนนทรุด.jpg"]
    [line] = data["line"]
    assert (line["line_user_id"], line["active"], line["followed"]) == (line_id, True, True)
    assert data["news_preferences"]["receive_news_on_line"] is False
    [chat] = data["chat"]
    texts = [(m["sender"], m["text"]) for m in chat["messages"]]
    assert ("citizen", "ขอเบอร์เทศบาล-CHAT") in texts and ("officer", "โทร 056-000000") in texts
    for absent in (
        other_complaint.tracking_number,
        "OTHER",
        "INTERNAL",
        staff.username,
        "ประยูร",
        "ลับเฉพาะ",
    ):
        assert absent not in raw, absent


def test_page_names_the_other_data_kept(client):
    profile = CitizenFactory()
    link_line(profile.user)
    LineAccount.objects.filter(user=profile.user).update(display_name="สมชาย LINE")
    client.force_login(profile.user)

    html = squash(client.get(PAGE).content.decode())

    for line in (
        f'<dt>เรื่องร้องเรียน</dt> <dd><a href="{reverse("complaints:mine")}">0 เรื่อง</a>',
        "<dt>บัญชี LINE ที่เชื่อมไว้</dt> <dd>เชื่อมต่ออยู่ (สมชาย LINE)</dd>",
        f'<dt>การสนทนากับเจ้าหน้าที่</dt> <dd><a href="{reverse("chat:conversation")}">0 ครั้ง</a>',
        "<dt>การรับข่าวสารทาง LINE</dt>",
    ):
        assert line in html, line


def test_staff_see_their_account_data_only(client):
    staff = StaffFactory(role=Role.CASE_OFFICER)
    client.force_login(staff)
    assert staff.username in client.get(PAGE).content.decode()
    data = json.loads(client.get(DOWNLOAD).content)
    assert data["profile"] is None and data["account"]["username"] == staff.username
