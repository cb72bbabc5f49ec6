"""Settings for bench.complaint_filing: the development settings (the bench sets DEBUG=0, so
templates are cached and no debug pages are built), plus django-simple-captcha's test mode,
in which the answer "PASSED" is accepted: a script cannot read the picture. The captcha row is
still created and its picture still drawn; only comparing the answer is skipped.

Never use this module for anything but a benchmark on loopback.
"""

from cms.settings.dev import *  # noqa: F401,F403

CAPTCHA_TEST_MODE = True
