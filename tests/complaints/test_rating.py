"""ประเมินความพึงพอใจ through the page the LINE message links to: only a completed case, once
per completion, changeable for 7 days, and a low score offers to reopen the case."""

import datetime
import re

import pytest
from django.utils import timezone

from complaints.models import SatisfactionRating, State
from complaints.workflow import complaint_change_state, complaint_reopen
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import grant_case_permissions, officer

pytestmark = pytest.mark.django_db

SUBMIT = "ส่งผลการประเมิน"


@pytest.fixture(autouse=True)
def _permissions():
    grant_case_permissions()


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def staff():
    return officer()


@pytest.fixture
def complaint(citizen, staff):
    complaint = ComplaintFactory(profile=citizen)
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=staff, public_note="ซ่อมถนนเรียบร้อยแล้ว"
    )
    return complaint


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen.user)
    return client


def rate_url(complaint) -> str:
    return f"/complaints/{complaint.tracking_number}/rate/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_form_offers_five_labelled_stars(logged_in, complaint):
    response = logged_in.get(rate_url(complaint))

    text = text_of(response)
    assert response.status_code == 200
    for label in ("1 ดาว ควรปรับปรุงมาก", "2 ดาว ควรปรับปรุง", "3 ดาว พอใช้", "4 ดาว ดี", "5 ดาว ดีมาก"):
        assert label in text
    assert len(re.findall(r'<input type="radio" name="score"', text)) == 5
    assert SUBMIT in text
    assert 'maxlength="2000"' in text


def test_an_open_case_cannot_be_rated(logged_in, citizen):
    complaint = ComplaintFactory(profile=citizen, state=State.IN_PROGRESS)

    shown = logged_in.get(rate_url(complaint))
    posted = logged_in.post(rate_url(complaint), {"score": "5"})

    assert shown.status_code == 403 and posted.status_code == 403
    assert "การประเมินทำได้เมื่อเรื่องดำเนินการเสร็จสิ้นแล้วเท่านั้น" in text_of(shown)
    assert SUBMIT not in text_of(shown)
    assert not SatisfactionRating.objects.exists()


def test_the_citizen_rates_a_completed_case_and_is_thanked(logged_in, complaint):
    response = logged_in.post(
        rate_url(complaint), {"score": "4", "comment": "เจ้าหน้าที่ติดตามงานดีมาก"}, follow=True
    )

    rating = SatisfactionRating.objects.get(complaint=complaint)
    assert (rating.score, rating.comment, rating.completion_round) == (4, "เจ้าหน้าที่ติดตามงานดีมาก", 0)
    text = text_of(response)
    assert "ขอบคุณที่ประเมินความพึงพอใจ" in text
    assert "4/5 ดี" in text
    assert "ยังไม่ได้รับการแก้ไข?" not in text
    detail = text_of(logged_in.get(f"/complaints/{complaint.tracking_number}/"))
    assert "4/5 ดี" in detail


def test_a_rating_can_be_changed_within_seven_days(logged_in, complaint):
    logged_in.post(rate_url(complaint), {"score": "4", "comment": "ดี"})
    SatisfactionRating.objects.update(created_at=timezone.now() - datetime.timedelta(days=6))

    shown = text_of(logged_in.get(rate_url(complaint)))
    assert 'value="4" checked' in shown  # the current rating is pre-selected
    assert "แก้ไขผลการประเมิน" in shown
    logged_in.post(rate_url(complaint), {"score": "5", "comment": "ดีขึ้นอีก"})

    rating = SatisfactionRating.objects.get()
    assert (rating.score, rating.comment) == (5, "ดีขึ้นอีก")


def test_after_seven_days_the_rating_is_read_only(logged_in, complaint):
    logged_in.post(rate_url(complaint), {"score": "3", "comment": "พอใช้ได้"})
    SatisfactionRating.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))

    shown = logged_in.get(rate_url(complaint))
    posted = logged_in.post(rate_url(complaint), {"score": "1", "comment": "เปลี่ยนใจ"})

    assert shown.status_code == 200
    assert SUBMIT not in text_of(shown)
    assert "3/5 พอใช้" in text_of(shown)
    assert "พ้นกำหนดแก้ไขผลการประเมินแล้ว" in text_of(shown)
    assert posted.status_code == 403
    rating = SatisfactionRating.objects.get()
    assert (rating.score, rating.comment) == (3, "พอใช้ได้")


def test_a_low_rating_offers_to_reopen_the_case(logged_in, complaint):
    response = logged_in.post(rate_url(complaint), {"score": "2"}, follow=True)

    text = text_of(response)
    assert "ยังไม่ได้รับการแก้ไข?" in text
    assert f'href="/complaints/{complaint.tracking_number}/#reopen"' in text
    detail = text_of(logged_in.get(f"/complaints/{complaint.tracking_number}/"))
    assert 'id="reopen"' in detail


def test_a_missing_score_is_explained_and_the_comment_kept(logged_in, complaint):
    response = logged_in.post(rate_url(complaint), {"comment": "ลืมเลือกดาว"})

    assert response.status_code == 400
    text = text_of(response)
    assert "กรุณาเลือกคะแนน 1 ถึง 5 ดาว" in text
    assert "ลืมเลือกดาว" in text
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "ห้า"])
def test_scores_outside_one_to_five_are_refused(logged_in, complaint, score):
    response = logged_in.post(rate_url(complaint), {"score": score})

    assert response.status_code == 400
    assert not SatisfactionRating.objects.exists()


def test_a_comment_over_2000_characters_is_refused_and_kept(logged_in, complaint):
    response = logged_in.post(rate_url(complaint), {"score": "5", "comment": "ก" * 2001})

    assert response.status_code == 400
    assert "ไม่เกิน 2000 ตัวอักษร" in text_of(response)
    assert "ก" * 2001 in text_of(response)
    assert not SatisfactionRating.objects.exists()


def test_another_citizen_cannot_rate(client, complaint):
    client.force_login(CitizenFactory().user)

    assert client.get(rate_url(complaint)).status_code == 404
    assert client.post(rate_url(complaint), {"score": "1"}).status_code == 404
    assert not SatisfactionRating.objects.exists()


def test_a_case_completed_again_after_reopening_is_rated_afresh(
    logged_in, complaint, citizen, staff
):
    logged_in.post(rate_url(complaint), {"score": "1"})
    complaint_reopen(complaint=complaint, by=citizen.user, reason="ยังไม่ได้ซ่อม")
    assert logged_in.get(rate_url(complaint)).status_code == 403
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=staff, public_note="ซ่อมใหม่แล้ว"
    )

    shown = text_of(logged_in.get(rate_url(complaint)))
    assert "ผลการประเมินของท่าน" not in shown
    logged_in.post(rate_url(complaint), {"score": "5"})

    assert sorted(SatisfactionRating.objects.values_list("completion_round", "score")) == [
        (0, 1),
        (1, 5),
    ]
