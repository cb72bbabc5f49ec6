"""A national ID is never stored readable: a citizen types it into the registration wizard
(with dashes, then again with spaces while going back and forth), and leaves before the end.
Nothing in any table (sessions decoded, caches unpickled), the cache in memory or the log
holds it, in any of the forms it was typed in."""

import base64
import binascii
import json
import logging
import pickle
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.views.debug import ExceptionReporter

from tests.accounts.test_registration import ACCOUNT, PERSON, URL, post

DIGITS = "1101700230708"
TYPED_WITH_DASHES = ACCOUNT["national_id"]  # 1-1017-00230-70-8
TYPED_WITH_SPACES = "1 1017 00230 70 8"


def readable(text: str) -> bool:
    return DIGITS in re.sub(r"[\s\-.]", "", text) or TYPED_WITH_SPACES in text


def unpacked(value) -> str:
    """A stored value as text, and what base64 or pickle inside it would reveal."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text
    try:
        return text + repr(pickle.loads(raw))
    except Exception:  # noqa: BLE001 - not a pickle: the decoded bytes then
        return text + raw.decode("latin-1")


def rows_holding_the_id() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                if any(readable(unpacked(value)) for value in row if value is not None):
                    found.append(f"{table}: {row!r:.200}")
    for session in SessionStore.get_model_class().objects.all():
        if readable(json.dumps(SessionStore().decode(session.session_data), default=str)):
            found.append(f"django_session (decoded): {session.session_key}")
    return found


def memory_cache_holding_the_id() -> list[str]:
    cache = caches["default"]
    stored = getattr(cache, "_cache", {})
    return [key for key, value in stored.items() if readable(unpacked(value) + repr(key))]


@pytest.mark.django_db
def test_an_abandoned_registration_leaves_the_national_id_nowhere_readable(client, notice, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(URL)
    assert post(client, "account", ACCOUNT).status_code == 200  # on to step 2
    # Back from step 2 to step 1, then step 1 kept as a draft with the ID typed with spaces.
    post(client, "person", PERSON, wizard_goto_step="account")
    draft = {**ACCOUNT, "national_id": TYPED_WITH_SPACES}
    page = post(client, "account", draft, wizard_goto_step="account")
    html = page.content.decode()
    assert TYPED_WITH_SPACES in html  # the citizen still sees what they typed
    assert page.context["wizard"]["steps"].current == "account"

    assert rows_holding_the_id() == []
    assert memory_cache_holding_the_id() == []
    logged = caplog.text + "".join(repr(r.args) + r.getMessage() for r in caplog.records)
    assert not readable(logged)
    assert TYPED_WITH_DASHES not in logged


@pytest.fixture
def notice(db):
    from accounts.models import PrivacyNotice
    from accounts.setup import ensure_privacy_notice

    ensure_privacy_notice()
    return PrivacyNotice.current()


@pytest.mark.django_db
def test_error_reports_of_the_wizard_hide_the_national_id(client, notice):
    """Django's error report (the mail to ADMINS, the debug page) lists what was posted."""
    request = post(client, "account", ACCOUNT).wsgi_request

    report = ExceptionReporter(request, None, None, None).get_traceback_text()

    assert "account-username" in report  # the posted fields are listed...
    assert not readable(report)  # ...but not the ID
    assert ACCOUNT["password1"] not in report
