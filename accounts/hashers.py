"""Argon2id with parameters from settings instead of Django's fixed class attributes.

Django's defaults (t=2, 100 MiB, p=8) cost about 150-205 ms of CPU per hash, and each citizen
hashes twice on the way to a first complaint (registration, log-in). On the 2-core web node in the
load test that alone kept the site saturated on a flood day. OWASP's Password Storage Cheat Sheet
lists equivalent Argon2id settings; the default here is its "m=19456 (19 MiB), t=2, p=1", about
23 ms.
https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id

Stored hashes with other parameters still verify, and Django rehashes them at the next log-in
(``must_update``), so raising or lowering the settings needs no migration.
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class ConfiguredArgon2PasswordHasher(Argon2PasswordHasher):
    # Same algorithm name ("argon2") as Django's hasher: existing hashes stay valid.

    @property
    def time_cost(self) -> int:
        return settings.ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:
        return settings.ARGON2_MEMORY_COST_KIB

    @property
    def parallelism(self) -> int:
        return settings.ARGON2_PARALLELISM


# OWASP's equivalent Argon2id settings trade memory for passes at about the same attacker cost:
# 46 MiB x 1, 19 MiB x 2, 12 MiB x 3, 9 MiB x 4, 7 MiB x 5. Below this product the hash is weaker.
MIN_MEMORY_KIB_TIMES_PASSES = 7168 * 5


def check_argon2_cost(app_configs=None, **kwargs):
    from django.core.checks import Error

    memory, passes = settings.ARGON2_MEMORY_COST_KIB, settings.ARGON2_TIME_COST
    if memory * passes >= MIN_MEMORY_KIB_TIMES_PASSES and memory >= 7168 and passes >= 1:
        return []
    return [
        Error(
            f"Argon2 cost m={memory} KiB, t={passes} is below OWASP's weakest listed setting "
            "(7 MiB x 5 passes, or memory x passes >= 35840).",
            hint="Raise ARGON2_MEMORY_COST_KIB or ARGON2_TIME_COST (default 19456 and 2).",
            id="accounts.E001",
        )
    ]
