"""Read-only queries about LINE accounts, for our views and for other apps."""

from line_integration.models import LineAccount


def active_line_account_for(user) -> LineAccount | None:
    """The LINE user currently linked to a site account, if any."""
    if user is None or not getattr(user, "pk", None):
        return None
    return LineAccount.objects.filter(user=user, is_active=True).first()


def line_account(line_user_id: str) -> LineAccount | None:
    return LineAccount.objects.filter(line_user_id=line_user_id).select_related("user").first()


def linked_user(line_user_id: str):
    """The site user a LINE user is linked to (what a domain handler acts on behalf of)."""
    account = (
        LineAccount.objects.filter(line_user_id=line_user_id, is_active=True)
        .select_related("user")
        .first()
    )
    return account.user if account else None
