import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from chat.models import QuickReplyTemplate

pytestmark = pytest.mark.django_db

DEMO = {
    "somchai01": None,
    "officer01": Role.CASE_OFFICER,
    "supervisor01": Role.SUPERVISOR,
    "executive01": Role.EXECUTIVE,
    "editor01": Role.NEWS_EDITOR,
}


def test_demo_accounts_log_in_with_the_documented_password(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")  # twice is fine
    assert User.objects.filter(username__in=DEMO).count() == len(DEMO)
    for username, role in DEMO.items():
        user = User.objects.get(username=username)
        assert user.is_active and user.check_password("demo1234"), username
        if role:
            assert user.has_role(role)
    somchai = User.objects.get(username="somchai01")
    assert somchai.citizen_profile.district.name_th == "เมืองนครสวรรค์"
    # Demo complaints in every state, moved by the officers' workflow; loaded once.
    complaints = somchai.complaints.all()
    assert complaints.count() == 8
    assert set(complaints.values_list("state", flat=True)) == {
        "under_review",
        "in_progress",
        "completed",
        "closed",
    }
    assert complaints.filter(ratings__isnull=False).count() == 2
    # A chat waiting in the officers' inbox, and their quick replies.
    [chat] = somchai.chat_conversations.all()
    assert chat.is_open and chat.waiting_since is not None
    assert chat.messages.filter(sender="citizen").count() == 1
    assert QuickReplyTemplate.objects.filter(is_active=True).count() == 4


def test_demo_data_is_never_loaded_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_data")
    assert not User.objects.filter(username="somchai01").exists()
