"""Found by the fault run (loadtest.faults): PostgreSQL restarted just after a citizen's account
was saved and before the session was, so the citizen saw the "try again" page, pressed
"ลงทะเบียน" again, and was told that their own national ID was already registered."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.accounts.test_registration import confirm, fill_until, notice  # noqa: F401

User = get_user_model()


def test_sending_registration_again_after_a_lost_answer_logs_the_citizen_in(client, notice):  # noqa: F811
    fill_until(client, "address")
    key = client.cookies["sessionid"].value
    wizard = Session.objects.get(pk=key)
    assert confirm(client, notice).status_code == 302
    # What the lost answer leaves behind: the account exists, the browser still holds the
    # session it had before "ลงทะเบียน" (logging in, which replaces it, never happened).
    Session.objects.update_or_create(
        session_key=key,
        defaults={"session_data": wizard.session_data, "expire_date": wizard.expire_date},
    )
    client.cookies["sessionid"] = key

    response = confirm(client, notice)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "ลงทะเบียนเรียบร้อยแล้ว" in page
    assert "เลขประจำตัวประชาชนนี้ลงทะเบียนแล้ว" not in page
    assert User.objects.filter(username="somchai01").count() == 1
