"""Counts the inputs the fuzz tests send, per endpoint, and prints the total at the end:

    fuzz inputs tried: 1234 (per endpoint: accounts:login 40, …)

A pytest plugin (tests/conftest.py names it in ``pytest_plugins``, so that the xdist
controller, which loads no conftest below tests/ but the top ones, prints the sum of what its
workers counted).
"""

from collections import Counter

import pytest

TRIED: Counter = Counter()
KEY = "fuzz_inputs_tried"


def count(endpoint: str, n: int = 1) -> None:
    TRIED[endpoint] += n


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the counts to the controller
        workeroutput[KEY] = dict(TRIED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    TRIED.update(getattr(node, "workeroutput", {}).get(KEY, {}))


def pytest_terminal_summary(terminalreporter):
    if getattr(terminalreporter.config, "workeroutput", None) is not None or not TRIED:
        return
    per_endpoint = ", ".join(f"{name} {n}" for name, n in sorted(TRIED.items()))
    terminalreporter.write_sep("-", "bad input sweep")
    terminalreporter.write_line(
        f"fuzz inputs tried: {sum(TRIED.values())} (per endpoint: {per_endpoint})"
    )
