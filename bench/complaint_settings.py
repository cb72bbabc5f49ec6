"""Settings for bench.complaint_filing and the load test: the development settings (the bench
sets DEBUG=0, so templates are cached and no debug pages are built), with a small not-a-robot
proof of work: the scripted phones solve their challenges in the benchmark's own process, which
must not slow the site it measures. The server's share (making a challenge, checking and using
up an answer: one key derivation of ALTCHA_COST rounds each) is the same as in production.

Never use this module for anything but a benchmark on loopback.
"""

from cms.settings.dev import *  # noqa: F403

ALTCHA_MAX_NUMBER = 4
