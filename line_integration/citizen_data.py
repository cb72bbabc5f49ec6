"""The LINE link in a citizen's own data (PDPA section 30) and in account closure.

Registered from ``LineIntegrationConfig.ready()`` with accounts' registries
(``accounts.selectors.register_export_section``, ``accounts.services.register_closure_step``):
line_integration may use accounts, accounts never imports this app.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import DataSummary, iso_date
from line_integration.models import LineAccount
from line_integration.outbox import withdraw_pending_to
from line_integration.services import unlink_line_account

# Closure runs this after the steps that follow the link (e.g. the chats reached through it).
CLOSURE_ORDER = 1000


def line_accounts_of(user: User) -> QuerySet[LineAccount]:
    """The LINE users the account holds: the linked one and any kept after it was blocked."""
    return LineAccount.objects.filter(user=user).order_by("pk")


def export_line(user: User) -> list[dict[str, Any]]:
    return [
        {
            "line_user_id": account.line_user_id,
            "display_name": account.display_name,
            "active": account.is_active,
            "followed": account.followed,
            "linked_at": iso_date(account.linked_at),
            "unlinked_at": iso_date(account.unlinked_at),
        }
        for account in line_accounts_of(user)
    ]


def summarise_line(user: User) -> DataSummary:
    account = line_accounts_of(user).filter(is_active=True).first()
    if account is None:
        value = _("ไม่ได้เชื่อมต่อ")
    else:
        value = _("เชื่อมต่ออยู่") + (f" ({account.display_name})" if account.display_name else "")
    return DataSummary(label=_("บัญชี LINE ที่เชื่อมไว้"), value=value)


def close_account(user: User) -> None:
    """A closed account's LINE link ends quietly: no "unlinked" message, no pushes after it,
    and none of those still waiting in the outbox (news, complaint updates) goes out."""
    line_user_ids = set(line_accounts_of(user).values_list("line_user_id", flat=True))
    unlink_line_account(user=user, notify=False)
    withdraw_pending_to(line_user_ids=line_user_ids, reason="ไม่ได้ส่ง: ผู้รับปิดบัญชีผู้ใช้แล้ว")
