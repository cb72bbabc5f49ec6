"""What one citizen's journey asks of the database, step by step: the load test's journey
(loadtest/README.md: register, log out and in, consent, the four steps with a photo, the
receipt, tracking), through the test client.

Every query is CPU on the web node and a round trip to PostgreSQL, and `make loadtest` runs this
journey hundreds of times a minute. Each step has a budget, today's count; a change that adds
queries to a step (a list rendered row by row, a template reaching for a related object) fails
here and prints the step's queries. Under these settings sessions and rate-limit counts are in
the database (production reads both from Redis), so their queries are counted too.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import PrivacyNotice
from accounts.setup import ensure_privacy_notice
from complaints.models import Complaint, ComplaintConsent
from complaints.setup import ensure_complaint_consent
from tests.accounts import test_registration as registration
from tests.complaints import test_wizard as wizard
from tests.complaints.factories import jpeg_bytes
from tests.core.robot import solved_answer

pytestmark = pytest.mark.django_db

# The centre's site settings (core/centre.py) are read once a minute per process, not per page.
BUDGETS = {
    "reg_get": 3,
    "reg_account": 12,
    "reg_person": 6,
    "reg_address": 11,
    "reg_confirm": 32,
    "profile_get": 5,
    "logout_post": 6,
    "login_get": 0,
    "login_post": 12,
    "consent_get": 4,
    "consent_post": 7,
    "step1_get": 5,
    "step1_post": 10,
    "step2_post": 9,
    "step3_post": 9,
    "confirm_post": 21,
    "done_get": 3,
    "track_list": 4,
    "track_detail": 6,
}


class Journey:
    """Runs the steps, keeping each one's queries (savepoints left out: they are not work)."""

    def __init__(self, client):
        self.client = client
        self.queries: dict[str, list[str]] = {}

    def step(self, name, call):
        with CaptureQueriesContext(connection) as captured:
            response = call()
        self.queries[name] = [
            query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]
        ]
        assert response.status_code in (200, 302), (name, response.status_code)
        return response


def walk(client, *, national_id: str, username: str) -> Journey:
    notice, consent = PrivacyNotice.current(), ComplaintConsent.current()
    journey = Journey(client)
    step, post = journey.step, registration.post
    account = {**registration.ACCOUNT, "national_id": national_id, "username": username}
    step("reg_get", lambda: client.get(registration.URL))
    step("reg_account", lambda: post(client, "account", account))
    step("reg_person", lambda: post(client, "person", registration.PERSON))
    step("reg_address", lambda: post(client, "address", registration.ADDRESS))
    confirm = {
        "notice_revision": notice.live_revision_id,
        "accept_privacy_notice": "on",
        "robot": solved_answer(client),
    }
    assert step("reg_confirm", lambda: post(client, "confirm", confirm)).status_code == 302
    step("profile_get", lambda: client.get(reverse("accounts:profile")))
    step("logout_post", lambda: client.post(reverse("accounts:logout")))
    step("login_get", lambda: client.get(reverse("accounts:login")))
    login = {"username": username, "password": registration.PASSWORD}
    assert (
        step("login_post", lambda: client.post(reverse("accounts:login"), login)).status_code == 302
    )
    step("consent_get", lambda: client.get(wizard.NEW))
    accepted = {"robot": solved_answer(client), "consent_revision": consent.live_revision_id}
    step("consent_post", lambda: client.post(wizard.NEW, accepted))
    step("step1_get", lambda: client.get(wizard.WIZARD))
    contact = {"phone": "081-234-5678", "email": "a@example.com"}
    step("step1_post", lambda: wizard.post(client, "complainant", contact))
    details = wizard.details_data()
    step("step2_post", lambda: wizard.post(client, "details", details))
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes(), content_type="image/jpeg")
    evidence = {"identity": "disclose", "attachments": [photo]}
    step("step3_post", lambda: wizard.post(client, "evidence", evidence))
    key = client.get(wizard.WIZARD).context["form"]["submission_key"].value()
    done = step("confirm_post", lambda: wizard.post(client, "review", {"submission_key": key}))
    assert done.status_code == 302
    number = Complaint.objects.get(citizen__username=username).tracking_number
    step("done_get", lambda: client.get(done["Location"]))
    step("track_list", lambda: client.get(reverse("complaints:mine")))
    step("track_detail", lambda: client.get(reverse("complaints:detail", args=[number])))
    return journey


def test_each_step_of_a_citizens_journey_keeps_to_its_query_budget(client):
    ensure_privacy_notice()
    ensure_complaint_consent()
    # A first citizen fills what is made once (the year's tracking counter); the second is
    # measured, as the load test's hundredth citizen would be.
    walk(client, national_id="1101700230708", username="somchai01")
    client.logout()
    journey = walk(client, national_id="3100600445635", username="somying22")
    over = {
        name: queries for name, queries in journey.queries.items() if len(queries) > BUDGETS[name]
    }
    report = "\n".join(
        f"{name}: {len(queries)} queries, budget {BUDGETS[name]}:\n  " + "\n  ".join(queries)
        for name, queries in over.items()
    )
    assert not over, report
    assert set(journey.queries) == set(BUDGETS)
