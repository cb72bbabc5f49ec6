"""Who sees which complaints, in what order, and how much of the complainant: the centre sees
everything, an agency only what was forwarded to it (without the identity when concealed),
citizens their own, everyone else nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint, PersonalDataAccess, State, StateChange
from complaints.querysets import ComplaintQuerySet
from complaints.selectors import (
    CONCEALED,
    complainant_display,
    current_rating,
    log_personal_data_access,
    public_history,
    rating_open,
)
from complaints.workflow import (
    complaint_add_note,
    complaint_assign,
    complaint_change_state,
    complaint_forward,
    rating_submit,
)
from tests.accounts.factories import CitizenFactory, StaffFactory, UserFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import (
    agency_member,
    grant_case_permissions,
    make_agency,
    officer,
)

pytestmark = pytest.mark.django_db
NATIONAL_ID = "3100600445635"


@pytest.fixture(autouse=True)
def _permissions():
    grant_case_permissions()


def complaints() -> ComplaintQuerySet:
    return ComplaintQuerySet(model=Complaint)


def visible_ids(user) -> set[int]:
    return set(complaints().visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def world():
    """Two agencies, a case forwarded to each, one not forwarded, two citizens."""
    staff = officer()
    agency, other = make_agency(), make_agency()
    alice = CitizenFactory(national_id=NATIONAL_ID, phone="+66898765432")
    ours = ComplaintFactory(profile=alice, conceal_identity=True)
    theirs = ComplaintFactory(conceal_identity=False)
    unforwarded = ComplaintFactory(profile=alice)
    complaint_forward(complaint=ours, agency=agency, by=staff)
    complaint_forward(complaint=theirs, agency=other, by=staff)
    return {
        "staff": staff,
        "agency": agency,
        "other": other,
        "alice": alice.user,
        "ours": ours,
        "theirs": theirs,
        "unforwarded": unforwarded,
        "member": agency_member(agency),
        "other_member": agency_member(other),
    }


# visible_to ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASE_OFFICER, Role.SUPERVISOR])
def test_centre_officers_see_every_case(world, role):
    everything = {world[k].pk for k in ("ours", "theirs", "unforwarded")}
    assert visible_ids(StaffFactory(role=role)) == everything
    assert visible_ids(UserFactory(is_superuser=True)) == everything


def test_agency_members_see_only_cases_forwarded_to_their_agency(world):
    assert visible_ids(world["member"]) == {world["ours"].pk}
    assert visible_ids(world["other_member"]) == {world["theirs"].pk}


def test_an_agency_member_in_a_centre_group_by_mistake_is_still_narrowed(world):
    world["member"].groups.add(*StaffFactory(role=Role.SUPERVISOR).groups.all())
    assert visible_ids(world["member"]) == {world["ours"].pk}


def test_citizens_see_only_their_own(world):
    assert visible_ids(world["alice"]) == {world["ours"].pk, world["unforwarded"].pk}
    assert visible_ids(CitizenFactory().user) == set()


@pytest.mark.parametrize("role", [Role.NEWS_EDITOR, Role.EXECUTIVE])
def test_editors_and_executives_see_no_cases(world, role):
    assert visible_ids(StaffFactory(role=role)) == set()


def test_the_anonymous_and_the_deactivated_see_nothing(world):
    assert visible_ids(AnonymousUser()) == set()
    world["staff"].is_active = False
    assert visible_ids(world["staff"]) == set()


# open / overdue / by_urgency ----------------------------------------------------------------------


def test_open_cases_and_urgency_order():
    now = timezone.now()
    done = ComplaintFactory(state=State.COMPLETED, report_due_at=now - timedelta(days=30))
    closed = ComplaintFactory(state=State.CLOSED, report_due_at=now - timedelta(days=20))
    late = ComplaintFactory(state=State.IN_PROGRESS, report_due_at=now - timedelta(days=5))
    later = ComplaintFactory(report_due_at=now - timedelta(days=2))
    soon = ComplaintFactory(report_due_at=now + timedelta(days=1))
    far = ComplaintFactory(state=State.IN_PROGRESS, report_due_at=now + timedelta(days=14))

    assert set(complaints().open()) == {late, later, soon, far}
    assert set(complaints().overdue()) == {late, later}
    assert list(complaints().by_urgency()) == [late, later, soon, far, closed, done]


# complainant_display ------------------------------------------------------------------------------


def test_centre_officers_see_the_complainant_even_when_concealed(world):
    shown = complainant_display(world["ours"], viewer=world["staff"])

    assert shown == {
        "name": world["ours"].complainant_name,
        "national_id_masked": "x-xxxx-xxxxx-63-5",
        "phone": "089 876 5432",
        "email": world["ours"].complainant_email,
        "address": world["ours"].complainant_address,
        "concealed": False,
    }


def test_an_agency_sees_nothing_of_a_concealed_complainant(world):
    ours = world["ours"]
    shown = complainant_display(ours, viewer=world["member"])

    assert shown["concealed"] is True
    assert {shown[k] for k in ("name", "national_id_masked", "phone", "email", "address")} == {
        CONCEALED
    }
    text = repr(shown)
    for secret in (
        ours.complainant_first_name,
        ours.complainant_last_name,
        NATIONAL_ID,
        "63-5",
        "+66898765432",
        "089 876 5432",
        ours.complainant_email,
    ):
        assert secret not in text


def test_an_agency_sees_a_complainant_who_did_not_conceal_on_its_own_cases_only(world):
    theirs = world["theirs"]

    assert complainant_display(theirs, viewer=world["other_member"])["name"] == (
        theirs.complainant_name
    )
    assert complainant_display(theirs, viewer=world["member"])["name"] == CONCEALED
    assert complainant_display(theirs, viewer=StaffFactory(role=Role.EXECUTIVE))["concealed"]


def test_the_complainant_sees_their_own_details(world):
    shown = complainant_display(world["ours"], viewer=world["alice"])
    assert shown["name"] == world["ours"].complainant_name
    assert shown["concealed"] is False


def test_personal_data_access_is_logged(world):
    entry = log_personal_data_access(
        complaint=world["ours"], user=world["staff"], action="view_complainant", ip="203.0.113.9"
    )

    entry.refresh_from_db()
    assert (entry.user, entry.complaint, entry.action, entry.ip_address) == (
        world["staff"],
        world["ours"],
        "view_complainant",
        "203.0.113.9",
    )
    log_personal_data_access(complaint=world["ours"], user=world["staff"], action="export", ip=None)
    assert PersonalDataAccess.objects.filter(complaint=world["ours"]).count() == 2


# What the citizen's tracking page may show --------------------------------------------------------


def test_public_history_leaves_out_assignments_and_internal_notes(world):
    ours, staff = world["ours"], world["staff"]
    complaint_assign(complaint=ours, officer=staff, by=staff)
    complaint_add_note(complaint=ours, by=staff, internal_note="บันทึกภายใน")
    complaint_change_state(complaint=ours, to=State.COMPLETED, by=staff, public_note="เสร็จแล้ว")

    kinds = list(public_history(ours).values_list("kind", flat=True))

    assert kinds == [StateChange.Kind.STATE, StateChange.Kind.FORWARD, StateChange.Kind.STATE]


def test_rating_open_follows_the_rating_rules(world):
    ours, alice = world["ours"], world["alice"]
    assert rating_open(complaint=ours, user=alice) is False
    complaint_change_state(complaint=ours, to=State.COMPLETED, by=world["staff"])
    assert rating_open(complaint=ours, user=alice) is True
    assert rating_open(complaint=ours, user=world["staff"]) is False

    rating = rating_submit(complaint=ours, citizen=alice, score=4)

    assert current_rating(ours) == rating
    assert rating_open(complaint=ours, user=alice) is True
    assert rating_open(complaint=ours, user=alice, now=timezone.now() + timedelta(days=8)) is False
