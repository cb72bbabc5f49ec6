"""Partners' API keys: issued and revoked by supervisors, checked on every POST.

A key is ``ddc_`` and 40 random URL-safe characters; the database keeps its SHA-256 (a key
has 240 bits of randomness, so a fast hash is enough: nobody guesses a preimage) and its
first characters, which the admin list shows so a partner can tell its keys apart.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from open311.models import ApiKey

KEY_PREFIX = "ddc_"
SHOWN_PREFIX = 10


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_key_issue(*, partner_name: str, by: User, note: str = "") -> tuple[ApiKey, str]:
    """A new key for a partner. Returns ``(key, raw)``: ``raw`` is shown to the supervisor
    once and is never stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(30)
    account = User(
        username=f"open311-{secrets.token_hex(6)}", first_name=partner_name[:150], is_active=False
    )
    account.set_unusable_password()
    account.save()
    key = ApiKey.objects.create(
        partner_name=partner_name,
        note=note,
        prefix=raw[:SHOWN_PREFIX],
        key_hash=digest(raw),
        account=account,
        created_by=by,
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User) -> ApiKey:
    """The key stops working at once; what it filed stays, with the partner's name."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.is_active:
        key.is_active = False
        key.revoked_at = timezone.now()
        key.revoked_by = by
        key.save(update_fields=["is_active", "revoked_at", "revoked_by"])
    return key


def active_key(raw: str | None) -> ApiKey | None:
    """The active key ``raw`` is, or None (missing, unknown or revoked)."""
    if not raw or len(raw) > 200:
        return None
    key = ApiKey.objects.select_related("account").filter(key_hash=digest(raw)).first()
    if key is None or not key.is_active:
        return None
    return key


def known_key(raw: str | None) -> ApiKey | None:
    """The key ``raw`` is, active or revoked (a revoked key is told so, not "unknown")."""
    if not raw or len(raw) > 200:
        return None
    return ApiKey.objects.filter(key_hash=digest(raw)).first()
