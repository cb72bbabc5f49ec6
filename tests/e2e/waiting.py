"""Waiting, in a browser test, for what the site or the LINE stand-in does in threads of its own
(a page can show a step before the work behind it is recorded)."""

import time


def wait_for(check, timeout: float = 5.0):
    """``check()``'s first true answer, asked every 50 ms; its last answer after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (answer := check()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return answer
