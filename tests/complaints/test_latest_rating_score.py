"""``Complaint.latest_rating_score``: the copy of the latest rated round's score that the
dashboard counts from, kept by the rating service and backfilled by migration 0005."""

import importlib

import pytest
from django.apps import apps

from complaints.models import Complaint, SatisfactionRating, State
from complaints.workflow import complaint_change_state, complaint_reopen, rating_submit
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import grant_case_permissions, officer

pytestmark = pytest.mark.django_db


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
def completed(citizen, staff):
    complaint = ComplaintFactory(profile=citizen)
    complaint_change_state(complaint=complaint, to=State.COMPLETED, by=staff, public_note="เสร็จ")
    return complaint


def stored_score(complaint) -> int | None:
    return Complaint.objects.values_list("latest_rating_score", flat=True).get(pk=complaint.pk)


def test_an_unrated_case_has_none(completed):
    assert stored_score(completed) is None
    assert stored_score(ComplaintFactory()) is None


def test_rating_through_the_page_stores_the_score(client, citizen, completed):
    client.force_login(citizen.user)
    client.post(f"/complaints/{completed.tracking_number}/rate/", {"score": "4"})

    assert stored_score(completed) == 4


def test_changing_the_rating_changes_the_stored_score(citizen, completed):
    rating_submit(complaint=completed, citizen=citizen.user, score=2)
    rating_submit(complaint=completed, citizen=citizen.user, score=5, comment="แก้ไขแล้ว")

    assert stored_score(completed) == 5
    assert completed.latest_rating_score == 5
    assert SatisfactionRating.objects.get().score == 5


def test_a_refused_rating_leaves_the_stored_score_alone(citizen, completed):
    from django.core.exceptions import ValidationError

    rating_submit(complaint=completed, citizen=citizen.user, score=3)
    with pytest.raises(ValidationError):
        rating_submit(complaint=completed, citizen=citizen.user, score=9)

    assert stored_score(completed) == 3


def test_reopened_keeps_its_last_score_until_rated_again(citizen, staff, completed):
    rating_submit(complaint=completed, citizen=citizen.user, score=1)
    complaint_reopen(complaint=completed, by=citizen.user, reason="ยังไม่ได้ซ่อม")
    assert stored_score(completed) == 1  # the dashboard still judges it on its last answer

    complaint_change_state(complaint=completed, to=State.COMPLETED, by=staff, public_note="ซ่อมใหม่")
    rating_submit(complaint=completed, citizen=citizen.user, score=4)

    assert stored_score(completed) == 4
    assert SatisfactionRating.objects.count() == 2


def test_the_migration_backfills_ratings_written_before_it():
    backfill = importlib.import_module(
        "complaints.migrations.0005_complaint_latest_rating_score"
    ).backfill_latest_rating_score
    once = ComplaintFactory(state=State.COMPLETED)
    twice = ComplaintFactory(state=State.COMPLETED, reopen_count=1)
    never = ComplaintFactory(state=State.COMPLETED)
    SatisfactionRating.objects.create(complaint=once, completion_round=0, score=2)
    SatisfactionRating.objects.create(complaint=twice, completion_round=1, score=5)
    SatisfactionRating.objects.create(complaint=twice, completion_round=0, score=1)
    Complaint.objects.update(latest_rating_score=None)

    backfill(apps, None)

    assert [stored_score(c) for c in (once, twice, never)] == [2, 5, None]
