"""Encryption at rest for personal identifiers (the 13-digit national ID).

The database holds a Fernet token (AES-128-CBC + HMAC-SHA256) that is unreadable without
FIELD_ENCRYPTION_KEY, and a keyed HMAC-SHA256 digest so that "one account per ID" can be
checked with an index lookup without decrypting every row. Both keys are derived from the one
secret with HKDF under different labels, so neither can stand in for the other.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"ddc:national-id:encrypt")))
    return fernet, _derive(secret, b"ddc:national-id:lookup")


def encrypt(value: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    _, key = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
