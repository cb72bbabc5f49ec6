"""Reading the centre's services and cases as an Open311 client would."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Agency, Complaint, ComplaintCategory, State
from complaints.workflow import complaint_change_state, complaint_forward
from tests.accounts.factories import StaffFactory
from tests.complaints.factories import ComplaintFactory
from tests.open311.support import as_json, as_xml

pytestmark = pytest.mark.django_db


def filed(days_ago: float = 0, **fields) -> Complaint:
    complaint = ComplaintFactory(**fields)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=when)
    complaint.refresh_from_db()
    return complaint


def ids(documents) -> list[str]:
    return [d["service_request_id"] for d in documents]


def test_services_are_the_active_categories_in_both_formats(client):
    ComplaintCategory.objects.filter(name="อื่นๆ").update(is_active=False)
    active = list(ComplaintCategory.objects.filter(is_active=True).order_by("sort_order", "name"))

    services = as_json(client.get("/open311/v2/services.json"))
    assert [s["service_code"] for s in services] == [str(c.pk) for c in active]
    first = services[0]
    assert first["service_name"] == active[0].name
    assert first["metadata"] is True and first["type"] == "realtime"
    assert first["group"] == "ร้องเรียนร้องทุกข์"

    root = as_xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == [
        str(c.pk) for c in active
    ]
    assert root.find("service/metadata").text == "true"
    # Without a suffix: JSON.
    assert as_json(client.get("/open311/v2/services")) == services


def test_a_service_definition_asks_for_the_subdistrict(client):
    category = ComplaintCategory.objects.filter(is_active=True).first()
    definition = as_json(client.get(f"/open311/v2/services/{category.pk}.json"))
    assert definition["service_code"] == str(category.pk)
    codes = {a["code"]: a for a in definition["attributes"]}
    assert codes["subdistrict"]["required"] is True
    assert [v["key"] for v in codes["conceal_identity"]["values"]] == ["no", "yes"]

    root = as_xml(client.get(f"/open311/v2/services/{category.pk}.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/code").text == "subdistrict"
    assert root.find("attributes/attribute[2]/values/value/key").text == "no"

    missing = client.get("/open311/v2/services/999999.xml")
    assert missing.status_code == 404
    assert as_xml(missing).find("error/code").text == "404"


def test_requests_map_the_four_states_to_open_and_closed(client):
    officer = StaffFactory(role=Role.SUPERVISOR)
    under_review = filed(days_ago=3)
    in_progress = filed(days_ago=2)
    complaint_change_state(complaint=in_progress, to=State.IN_PROGRESS, by=officer)
    completed = filed(days_ago=1)
    complaint_change_state(complaint=completed, to=State.IN_PROGRESS, by=officer)
    complaint_change_state(complaint=completed, to=State.COMPLETED, by=officer)
    closed = filed(days_ago=0.5)
    note = "ซ้ำกับเรื่องที่นายสมชาย ใจดี โทร 0812345678 แจ้งไว้"
    complaint_change_state(
        complaint=closed, to=State.CLOSED, by=officer, closed_reason="duplicate", public_note=note
    )

    documents = {
        d["service_request_id"]: d for d in as_json(client.get("/open311/v2/requests.json"))
    }
    assert documents[under_review.tracking_number]["status"] == "open"
    assert documents[in_progress.tracking_number]["status"] == "open"
    assert documents[completed.tracking_number]["status"] == "closed"
    assert documents[closed.tracking_number]["status"] == "closed"
    assert documents[closed.tracking_number]["status_notes"] == "ยุติเรื่อง: เป็นเรื่องซ้ำ"
    assert "สมชาย" not in client.get("/open311/v2/requests.xml").content.decode()
    assert documents[in_progress.tracking_number]["status_notes"] == "อยู่ระหว่างดำเนินการ"

    only_open = ids(as_json(client.get("/open311/v2/requests.json?status=open")))
    assert set(only_open) == {under_review.tracking_number, in_progress.tracking_number}
    both = ids(as_json(client.get("/open311/v2/requests.json?status=open,closed")))
    assert len(both) == 4


def test_dates_are_bangkok_time_and_the_deadline_is_expected(client):
    complaint = filed(days_ago=1)
    document = as_json(client.get(f"/open311/v2/requests/{complaint.tracking_number}.json"))[0]
    assert document["requested_datetime"].endswith("+07:00")
    requested = datetime.datetime.fromisoformat(document["requested_datetime"])
    assert requested == complaint.submitted_at.replace(microsecond=0)
    expected = datetime.datetime.fromisoformat(document["expected_datetime"])
    assert expected == complaint.report_due_at.replace(microsecond=0)
    assert document["expected_datetime"].endswith("+07:00")
    assert document["updated_datetime"].endswith("+07:00")


def test_updated_datetime_and_agency_follow_public_events(client):
    officer = StaffFactory(role=Role.SUPERVISOR)
    complaint = filed(days_ago=2)
    agency = Agency.objects.create(name="เทศบาลตำบลทดสอบ", kind=Agency.Kind.LOCAL_GOVERNMENT)
    before = as_json(client.get(f"/open311/v2/requests/{complaint.tracking_number}.json"))[0]
    assert before["agency_responsible"] == "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์"

    complaint_forward(complaint=complaint, agency=agency, by=officer, public_note="ส่งต่อแล้ว")
    after = as_json(client.get(f"/open311/v2/requests/{complaint.tracking_number}.json"))[0]
    assert after["agency_responsible"] == "เทศบาลตำบลทดสอบ"
    forwarded = complaint.history.get(kind="forward").at
    assert datetime.datetime.fromisoformat(after["updated_datetime"]) == forwarded.replace(
        microsecond=0
    )


def test_filters_ids_service_code_and_dates(client):
    categories = list(ComplaintCategory.objects.filter(is_active=True)[:2])
    old = filed(days_ago=40, category=categories[0])
    recent = filed(days_ago=5, category=categories[1])
    ancient = filed(days_ago=200, category=categories[0])

    # Default: the most recent 90 days.
    assert set(ids(as_json(client.get("/open311/v2/requests.json")))) == {
        old.tracking_number,
        recent.tracking_number,
    }
    by_code = as_json(client.get(f"/open311/v2/requests.json?service_code={categories[1].pk}"))
    assert ids(by_code) == [recent.tracking_number]

    start = (timezone.now() - datetime.timedelta(days=220)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - datetime.timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ranged = as_json(client.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}"))
    assert ids(ranged) == [ancient.tracking_number]

    # service_request_id overrides every other argument, however old the case.
    listed = as_json(
        client.get(
            "/open311/v2/requests.json",
            {
                "service_request_id": f"{ancient.tracking_number},{recent.tracking_number}",
                "status": "closed",
            },
        )
    )
    assert set(ids(listed)) == {ancient.tracking_number, recent.tracking_number}


@pytest.mark.parametrize(
    "query, words",
    [
        ("status=pending", "status"),
        ("start_date=yesterday", "start_date"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2025-01-01T00:00:00Z", "end_date"),
        ("start_date=2025-01-01T00:00:00Z&end_date=2025-12-01T00:00:00Z", "90"),
        ("service_code=abc", "service_code"),
        ("page=0", "page"),
        ("page_size=-3", "page_size"),
    ],
)
def test_bad_filters_are_an_error_list_with_400(client, query, words):
    response = client.get(f"/open311/v2/requests.xml?{query}")
    assert response.status_code == 400
    root = as_xml(response)
    assert root.tag == "errors"
    assert root.find("error/code").text == "400"
    assert words in root.find("error/description").text


def test_pages_newest_first_with_a_link_to_the_next(client):
    complaints = [filed(days_ago=10 - i) for i in range(5)]
    newest_first = [c.tracking_number for c in reversed(complaints)]

    first = client.get("/open311/v2/requests.json?page_size=2")
    assert ids(as_json(first)) == newest_first[:2]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    second = client.get("/open311/v2/requests.json?page_size=2&page=2")
    assert ids(as_json(second)) == newest_first[2:4]
    last = client.get("/open311/v2/requests.json?page_size=2&page=3")
    assert ids(as_json(last)) == newest_first[4:]
    assert not last.has_header("Link")
    assert as_json(client.get("/open311/v2/requests.json?page_size=2&page=9")) == []


def test_an_unknown_request_and_another_jurisdiction_are_404(client):
    assert client.get("/open311/v2/requests/NSN-2569-999999.json").status_code == 404
    elsewhere = client.get("/open311/v2/services.json?jurisdiction_id=th-50")
    assert elsewhere.status_code == 404
    assert "th-60" in as_json(elsewhere)[0]["description"]
    assert client.get("/open311/v2/services.json?jurisdiction_id=TH-60").status_code == 200


def test_the_jurisdiction_follows_the_province_setting(client, settings):
    settings.PROVINCE_CODE = "50"
    assert client.get("/open311/v2/services.json?jurisdiction_id=th-50").status_code == 200
    discovery = as_json(client.get("/open311/discovery.json"))
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")
    assert "เชียงใหม่" in discovery["contact"]


def test_other_methods_get_405_in_the_error_format(client):
    response = client.delete("/open311/v2/services.xml")
    assert response.status_code == 405
    assert as_xml(response).find("error/code").text == "405"


def test_public_reads_are_rate_limited_per_client(client, settings):
    settings.OPEN311_GET_LIMIT = 3
    for _ in range(3):
        assert client.get("/open311/v2/services.json").status_code == 200
    refused = client.get("/open311/v2/services.json")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert as_json(refused)[0]["code"] == 429


def test_a_page_costs_the_same_few_queries_however_many_cases(client):
    for _ in range(12):
        filed(days_ago=1)

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return sum(
            1
            for query in captured.captured_queries
            if "core_rate_limits" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        )

    queries("/open311/v2/requests.json?page_size=1")  # the centre, read once a minute
    three = queries("/open311/v2/requests.json?page_size=3")
    assert three <= 2  # the page and its last public events
    assert queries("/open311/v2/requests.json?page_size=12") == three
