"""A complaint an officer prepared for a citizen (from a chat): the citizen opens the link, the
wizard starts again with step ๒ filled in, and filing the complaint uses the draft up.

The link is ``/complaints/new/?draft=<token>``: the log-in page and the consent page come first,
so the token waits in the session until the wizard opens.
"""

import html
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import Complaint, ComplaintCategory, ComplaintDraft
from complaints.services import complaint_draft_claim, complaint_draft_create
from complaints.setup import ensure_complaint_consent
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.test_wizard import (
    NEW,
    WIZARD,
    accept_consent,
    details_data,
    post,
)

pytestmark = pytest.mark.django_db

NOTE = "เจ้าหน้าที่เตรียมร่างเรื่องร้องเรียนจากการสนทนาไว้ให้แล้ว กรุณาตรวจสอบและกรอกข้อมูลให้ครบ"
REFUSED = "ไม่พบร่างเรื่องร้องเรียนจากลิงก์นี้ หรือร่างนี้ใช้ยื่นเรื่องไปแล้ว"
DETAILS = "ไฟฟ้าส่องสว่างหน้าบ้านเลขที่ 12 หมู่ 3 ดับมาสองสัปดาห์ ขอให้มาซ่อมด่วน"


@pytest.fixture
def consent():
    ensure_complaint_consent()
    from complaints.models import ComplaintConsent

    return ComplaintConsent.current()


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def officer():
    return StaffFactory(first_name="วิไล", last_name="ตั้งใจ")


@pytest.fixture
def category():
    return ComplaintCategory.objects.create(name="ไฟฟ้าสาธารณะทดสอบ", sort_order=1)


def make_draft(officer, category, citizen=None, details=DETAILS) -> ComplaintDraft:
    return complaint_draft_create(
        citizen=citizen, category=category, details=details, created_by=officer, source="chat"
    )


def link(draft) -> str:
    return f"{NEW}?draft={draft.token}"


def open_link(client, consent, url):
    """What the citizen's browser does: the link, the consent, then the wizard."""
    response = client.get(url)
    assert response.status_code == 200
    assert accept_consent(client, consent)["Location"] == WIZARD
    return client.get(WIZARD)


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def details_step(client):
    return post(client, "complainant", {"phone": "081-234-5678", "email": "a@example.com"})


# --- the service -------------------------------------------------------------------------------


def test_a_draft_needs_details_of_at_most_4000_characters(officer, category, citizen):
    with pytest.raises(ValidationError) as empty:
        make_draft(officer, category, citizen.user, details="   ")
    assert "กรุณากรอกรายละเอียดการร้องเรียน" in str(empty.value)
    with pytest.raises(ValidationError) as long:
        make_draft(officer, category, citizen.user, details="ก" * 4001)
    assert "4,000" in str(long.value)
    assert not ComplaintDraft.objects.exists()

    draft = make_draft(officer, category, citizen.user, details="  " + "ข" * 4000 + "\n")
    assert draft.details == "ข" * 4000
    assert draft.used_at is None and draft.source == "chat"
    assert isinstance(draft.token, uuid.UUID)


def test_claiming_refuses_strangers_used_drafts_and_nonsense(officer, category, citizen):
    other = CitizenFactory()
    draft = make_draft(officer, category, citizen.user)
    assert complaint_draft_claim(token=draft.token, citizen=other.user) is None
    assert complaint_draft_claim(token="not-a-uuid", citizen=citizen.user) is None
    assert complaint_draft_claim(token=uuid.uuid4(), citizen=citizen.user) is None
    assert complaint_draft_claim(token=str(draft.token), citizen=citizen.user) == draft

    ComplaintDraft.objects.filter(pk=draft.pk).update(used_at="2026-01-05T10:00:00+07:00")
    assert complaint_draft_claim(token=draft.token, citizen=citizen.user) is None


# --- the link ----------------------------------------------------------------------------------


def test_the_link_asks_for_a_login_and_keeps_the_draft(client, officer, category, citizen):
    draft = make_draft(officer, category, citizen.user)
    response = client.get(link(draft))
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith(reverse("accounts:login"))
    assert str(draft.token) in login  # ?next= brings the citizen back to the same link


def test_the_link_restarts_the_wizard_with_step_two_filled(
    client, consent, officer, category, citizen
):
    draft = make_draft(officer, category, citizen.user)
    client.force_login(citizen.user)
    # Something typed earlier in another attempt is replaced by the officer's draft.
    accept_consent(client, consent)
    client.get(WIZARD)
    details_step(client)
    post(
        client, "details", details_data(details="เรื่องเก่าที่พิมพ์ค้างไว้"), wizard_goto_step="complainant"
    )

    response = open_link(client, consent, link(draft))

    page = page_of(response)
    assert "ขั้นตอนที่ ๑ จาก ๔" in page
    assert NOTE in page
    response = details_step(client)
    page = page_of(response)
    assert "ขั้นตอนที่ ๒ จาก ๔" in page
    assert NOTE in page
    assert f"\n{DETAILS}</textarea>" in page
    assert re.search(rf'<option value="{category.pk}" selected>', page)
    assert "เรื่องเก่าที่พิมพ์ค้างไว้" not in page
    assert "errorlist" not in page  # a draft is shown as typed, not judged yet


def test_the_draft_survives_the_consent_page_when_opened_on_the_wizard(
    client, consent, officer, category, citizen
):
    draft = make_draft(officer, category, citizen.user)
    client.force_login(citizen.user)
    response = client.get(f"{WIZARD}?draft={draft.token}")
    assert response["Location"] == NEW  # consent first

    accept_consent(client, consent)
    assert NOTE in page_of(client.get(WIZARD))
    assert f"\n{DETAILS}</textarea>" in page_of(details_step(client))


def test_filing_the_complaint_uses_the_draft_up(client, consent, officer, category, citizen):
    draft = make_draft(officer, category, citizen.user)
    client.force_login(citizen.user)
    open_link(client, consent, link(draft))
    details_step(client)
    post(client, "details", details_data(category=str(category.pk), details=DETAILS))
    page = page_of(post(client, "evidence", {"identity": "disclose"}))
    key = re.search(r'name="review-submission_key" value="([0-9a-f-]+)"', page).group(1)

    response = post(client, "review", {"submission_key": key})

    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:done", args=[complaint.tracking_number])
    assert (complaint.category, complaint.details) == (category, DETAILS)
    draft.refresh_from_db()
    assert draft.used_at is not None
    assert draft.complaint == complaint

    # The same link again: said plainly, and an ordinary new complaint can be filed.
    response = open_link(client, consent, link(draft))
    page = page_of(response)
    assert REFUSED in page
    assert NOTE not in page
    assert DETAILS not in page_of(details_step(client))


def test_someone_elses_draft_is_never_shown(client, consent, officer, category, citizen):
    draft = make_draft(officer, category, citizen.user)
    stranger = CitizenFactory()
    client.force_login(stranger.user)

    response = open_link(client, consent, link(draft))

    assert response.status_code == 200
    page = page_of(response)
    assert REFUSED in page
    assert DETAILS not in page
    assert DETAILS not in page_of(details_step(client))
    draft.refresh_from_db()
    assert draft.citizen == citizen.user and draft.used_at is None


@pytest.mark.parametrize("token", ["nonsense", "0" * 200, "'; drop table x; --"])
def test_a_broken_link_is_mentioned_not_a_server_error(client, consent, citizen, token):
    client.force_login(citizen.user)
    response = open_link(client, consent, f"{NEW}?draft={token}")
    assert response.status_code == 200
    assert REFUSED in page_of(response)
    assert "ขั้นตอนที่ ๑ จาก ๔" in page_of(response)


def test_a_draft_made_for_a_line_user_without_account_becomes_the_openers(
    client, consent, officer, category, citizen
):
    draft = make_draft(officer, category, citizen=None)
    client.force_login(citizen.user)

    response = open_link(client, consent, link(draft))

    assert NOTE in page_of(response)
    draft.refresh_from_db()
    assert draft.citizen == citizen.user
    # From now on it is theirs alone.
    other = CitizenFactory()
    client.force_login(other.user)
    assert REFUSED in page_of(open_link(client, consent, link(draft)))
