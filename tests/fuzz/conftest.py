"""The bad-input sweep (no input may cause a 500): Hypothesis profiles, the file sandbox and
the people.

``HYPOTHESIS_PROFILE=ci`` (the default, used by ``make test``) tries a few examples per test,
derandomised so that a run is repeatable; ``HYPOTHESIS_PROFILE=full`` (``make fuzz``) tries
thousands (``FUZZ_EXAMPLES`` per test, 200 unless set) with a fresh seed each run. Examples
run inside the test's ``db`` transaction; each one is wrapped in ``support.isolated`` so that
it starts from the state the test prepared. The counter that prints "fuzz inputs tried: N" is
tests/fuzz/report.py.
"""

import datetime
import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.roles import Role
from accounts.setup import ensure_privacy_notice
from complaints.setup import ensure_complaint_consent
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import grant_officer_screen_permissions
from tests.core.robot import solved_answer
from tests.fuzz.support import FileSandbox

COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=25, derandomize=True, **COMMON)
settings.register_profile(
    "full", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), **COMMON
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def sandbox(settings, tmp_path):
    """MEDIA_ROOT and PRIVATE_MEDIA_ROOT deep inside the test's own folder; every request
    ``support.send`` makes is followed by a check that nothing was written outside them."""
    box = FileSandbox(tmp_path)
    settings.MEDIA_ROOT = box.media
    settings.PRIVATE_MEDIA_ROOT = box.private
    FileSandbox.active = box
    yield box
    FileSandbox.active = None


@pytest.fixture
def notice(db):
    ensure_privacy_notice()


@pytest.fixture
def consent(db):
    ensure_complaint_consent()
    from complaints.models import ComplaintConsent

    return ComplaintConsent.current()


@pytest.fixture
def robot_answer(db, settings) -> str:
    """A solved not-a-robot challenge that lasts the whole test: every example runs in a
    rolled-back transaction, so the same answer is fresh (unused) in each one."""
    settings.ALTCHA_EXPIRES = datetime.timedelta(days=1)
    return solved_answer()


@pytest.fixture
def citizen(db):
    return CitizenFactory(national_id="3100600445635", phone="+66812345678")


@pytest.fixture
def citizen_client(citizen) -> Client:
    client = Client()
    client.force_login(citizen.user)
    return client


@pytest.fixture
def officer(db):
    grant_officer_screen_permissions()
    return StaffFactory(role=Role.SUPERVISOR)


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def executive_client(db) -> Client:
    client = Client()
    client.force_login(StaffFactory(role=Role.EXECUTIVE))
    return client
