"""Settings for bench.altcha_solve: the production shape of the site (base settings: WhiteNoise
serving collected, compressed, hashed static files; DEBUG off) on loopback, with the static
files collected into the benchmark's work folder (BENCH_STATIC_ROOT). The not-a-robot
difficulty is production's (ALTCHA_COST, ALTCHA_MAX_NUMBER), unless the environment sets it.

Never use this module for anything but a benchmark on loopback.
"""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import STATIC_ROOT, env

STATIC_ROOT = env("BENCH_STATIC_ROOT", str(STATIC_ROOT))
