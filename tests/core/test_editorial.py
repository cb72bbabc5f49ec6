"""The live privacy notice and complaint consent (core/editorial.py) are read from the database
once, not on every registration and complaint step, and a change is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import PrivacyNotice
from accounts.setup import ensure_privacy_notice
from complaints.models import ComplaintConsent
from complaints.setup import ensure_complaint_consent

pytestmark = pytest.mark.django_db


def reads(model) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        found = model.current()
    return found, len(queries)


@pytest.mark.parametrize(
    "model, ensure",
    [(PrivacyNotice, ensure_privacy_notice), (ComplaintConsent, ensure_complaint_consent)],
)
def test_the_live_text_is_read_once_and_a_publication_is_seen_at_once(model, ensure):
    ensure()
    first, queries = reads(model)
    assert first is not None and first.live and queries == 1
    again, queries = reads(model)
    assert (again.pk, again.live_revision_id, queries) == (first.pk, first.live_revision_id, 0)

    first.body = "<p>ฉบับปรับปรุงใหม่</p>"
    first.save_revision().publish()
    republished, _queries = reads(model)
    assert republished.live_revision_id != again.live_revision_id
    assert republished.body == "<p>ฉบับปรับปรุงใหม่</p>"

    republished.unpublish()
    assert reads(model)[0] is None

    republished.save_revision().publish()
    assert reads(model)[0] is not None
    model.objects.all().delete()
    assert reads(model)[0] is None
