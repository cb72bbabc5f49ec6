"""Signing in with a username and password, and finding the signed-in user on each request.

``AccountBackend`` is Django's ModelBackend with one difference on every request: the user's
row is read with a statement built once per process (core.rows), not by the ORM each time
(about 450 -> 190 µs of CPU a request on PostgreSQL). Passwords, permissions and who may sign in
are ModelBackend's.

Sessions signed in before this backend name ModelBackend, so it stays in
AUTHENTICATION_BACKENDS (cms/settings/base.py) to keep them signed in; it never checks a
password again: when this backend refuses a username and password it says so for all (Django's
``authenticate`` then stops and reports one failed log-in, which django-axes counts), instead of
letting ModelBackend hash the same wrong password a second time.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.models import User
from core.rows import KeyLookup

ACCOUNT_BACKEND = "accounts.backends.AccountBackend"
_USER_BY_PK = KeyLookup(User, "pk")


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        user = await super().aauthenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user = _USER_BY_PK.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
