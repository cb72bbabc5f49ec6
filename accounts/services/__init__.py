"""Every write to accounts goes through one of these functions (HackSoft style)."""

from accounts.services.profile import *  # noqa: F403
from accounts.services.registration import *  # noqa: F403
