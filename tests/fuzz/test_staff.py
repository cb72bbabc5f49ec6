"""Bad input on the staff screens: the executive dashboard's filters and exports, and the
officers' complaint list (search, filters, order, page, export) and case actions (change of
state, assignment, forwarding, internal notes with hostile attachments)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.models import Agency, Complaint, PersonalDataAccess, StateChange
from line_integration.models import OutboundMessage
from tests.complaints.admin_support import ADMIN_URL, inspect_url
from tests.complaints.factories import ComplaintFactory
from tests.fuzz.strategies import DATES, NUMBERS, form_posts, hostile_text, uploads
from tests.fuzz.support import isolated, new_rows, redirected_to, send, snapshot, submit

pytestmark = pytest.mark.django_db

DASHBOARD_FILTERS = {
    "fiscal_year": "2569",
    "month": "10",
    "date_from": "2025-10-01",
    "date_to": "2026-09-30",
    "district": "6001",
    "category": "1",
    "agency": "1",
}
filter_values = st.one_of(
    hostile_text(), st.sampled_from(DATES), st.sampled_from(NUMBERS), st.lists(hostile_text())
)


@st.composite
def dashboard_queries(draw) -> dict:
    query = {}
    for name, real in DASHBOARD_FILTERS.items():
        choice = draw(st.integers(0, 3))
        if choice == 1:
            query[name] = real
        elif choice >= 2:
            query[name] = draw(filter_values)
    return query


@given(
    query=dashboard_queries(),
    path=st.sampled_from(["/dashboard/", "/dashboard/", "/dashboard/export.xlsx"]),
)
def test_dashboard_filters(executive_client, query, path):
    endpoint = {"/dashboard/": "dashboard:index", "/dashboard/export.xlsx": "dashboard:export"}
    with isolated(executive_client):
        send(executive_client, endpoint[path], "GET", path, query)


@given(query=dashboard_queries())
def test_dashboard_pdf_export(executive_client, query):
    with isolated(executive_client):
        send(executive_client, "dashboard:export_pdf", "GET", "/dashboard/export.pdf", query)


# --- the officers' complaint screens ------------------------------------------------------------

LIST_PARAMS = (
    "q",
    "p",
    "o",
    "ot",
    "export",
    "state__exact",
    "category__id__exact",
    "target_district__code__exact",
    "officer",
    "agency__id__exact",
    "overdue",
)


@pytest.fixture
def case(citizen, officer):
    Agency.objects.get_or_create(
        name="ที่ว่าการอำเภอเมืองนครสวรรค์", defaults={"kind": Agency.Kind.DISTRICT_OFFICE}
    )
    return ComplaintFactory(profile=citizen)


@given(
    query=st.dictionaries(
        st.one_of(st.sampled_from(LIST_PARAMS), hostile_text(oversized=False)),
        st.one_of(hostile_text(), st.sampled_from(["csv", "xlsx", "yes", "none", "-1", "0.1"])),
        max_size=4,
    )
)
def test_admin_complaint_list(officer_client, case, query):
    with isolated(officer_client):
        send(officer_client, "admin:complaints", "GET", ADMIN_URL, query)


ACTIONS = {
    "state": ["version", "to_state", "public_note", "internal_note", "closed_reason"],
    "assign": ["version", "officer", "internal_note"],
    "forward": ["version", "agency", "public_note", "internal_note"],
    "note": ["version", "internal_note"],
}
CASE_ROWS = (Complaint, StateChange, OutboundMessage)


@st.composite
def case_actions(draw, fixed):
    action = draw(st.sampled_from(list(ACTIONS)))
    sent_action = draw(st.one_of(st.just(action), st.just(action), hostile_text()))
    form = draw(form_posts(ACTIONS[action], fixed=fixed[action], prefix=f"{action}-", extra={}))
    form[0]["action"] = sent_action
    files = draw(uploads(max_files=2)) if action in ("state", "note") else []
    return action, form, [(f"{action}-attachment", upload) for upload in files]


@given(data=st.data())
def test_admin_case_actions(officer_client, citizen_client, officer, case, sandbox, data):
    agency = Agency.objects.filter(is_active=True).first()
    fixed = {
        "state": {"version": str(case.version), "to_state": "in_progress", "closed_reason": ""},
        "assign": {"version": str(case.version), "officer": str(officer.pk)},
        "forward": {"version": str(case.version), "agency": str(agency.pk)},
        "note": {"version": str(case.version), "internal_note": "โทรสอบถามแล้ว"},
    }
    action, form, files = data.draw(case_actions(fixed))
    url = inspect_url(case)
    with isolated(officer_client, citizen_client):
        response, before = submit(
            officer_client,
            f"admin:complaint/{action}",
            url,
            form,
            models=CASE_ROWS,
            accepted=lambda r: redirected_to(r, url),
            files=files,
        )
        sandbox.assert_contained(f"admin:complaint/{action}")
        if redirected_to(response, url):
            assert len(new_rows(before, snapshot(*CASE_ROWS), StateChange)) == 1
            detail = f"/complaints/{case.tracking_number}/"
            send(citizen_client, "complaints:detail", "GET", detail)


@given(pk=st.integers(min_value=0, max_value=2**70))
def test_admin_case_page_and_history_attachment(officer_client, case, pk):
    with isolated(officer_client):
        send(officer_client, "admin:complaint/inspect", "GET", f"{ADMIN_URL}inspect/{pk}/")
        send(
            officer_client,
            "complaints_admin:history_attachment",
            "GET",
            f"/admin/complaints/history/{pk}/attachment/",
        )
    assert PersonalDataAccess.objects.filter(complaint=case).count() == 0
