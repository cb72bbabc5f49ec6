"""gunicorn hooks for the load runs (`gunicorn -c loadtest/gunicorn_hooks.py`): the CPU each
request cost its worker, per step, so that `load_cpu_step` can say where the site's CPU goes.

A sync worker handles one request at a time, so the worker's process CPU time from just before
the application is called until the response has been sent is that request's cost (Django,
templates, the photo check, password hashes; not PostgreSQL's or Redis's side). Each worker
appends "<step> <cpu microseconds>" lines to LOADTEST_CPU_LOG.

With LOADTEST_PROFILE set to a folder, each worker also samples where its CPU goes: every
millisecond of CPU time (ITIMER_PROF, so waiting for PostgreSQL or for a core costs nothing)
the Python stack is counted under the request's step, and each worker writes
<step>.<pid>.folded there when it exits: one "frame;frame;... count" line per stack, as
flamegraph.pl and speedscope read them.
"""

import os
import signal
import time
from collections import Counter

CPU_LOG = os.environ.get("LOADTEST_CPU_LOG")
PROFILE_DIR = os.environ.get("LOADTEST_PROFILE")
SAMPLE_S = 0.001
_state: dict = {"log": None, "samples": {}, "step": None}


def _step(req) -> str:
    for name, value in req.headers:
        if name == "X-BENCH-STEP":
            return value.rsplit(":", 1)[-1]
    return "-"


def _frame_name(frame) -> str:
    code = frame.f_code
    path = code.co_filename.split("site-packages/")[-1].removeprefix(os.getcwd() + "/")
    return f"{code.co_name} ({path}:{code.co_firstlineno})"


def _sample(signum, frame):
    stack = []
    while frame is not None:
        stack.append(_frame_name(frame))
        frame = frame.f_back
    _state["samples"].setdefault(_state["step"], Counter())[";".join(reversed(stack))] += 1


def pre_request(worker, req):
    req.cpu_started = time.process_time()
    if PROFILE_DIR:
        _state["step"] = _step(req)
        signal.signal(signal.SIGPROF, _sample)
        signal.setitimer(signal.ITIMER_PROF, SAMPLE_S, SAMPLE_S)


def post_request(worker, req, environ, resp):
    if PROFILE_DIR:
        signal.setitimer(signal.ITIMER_PROF, 0)
    started = getattr(req, "cpu_started", None)
    if CPU_LOG and started is not None:
        if _state["log"] is None:
            _state["log"] = open(CPU_LOG, "a", buffering=1)
        used_us = int((time.process_time() - started) * 1_000_000)
        _state["log"].write(f"{_step(req)} {used_us}\n")


def worker_exit(server, worker):
    for step, stacks in _state["samples"].items():
        with open(os.path.join(PROFILE_DIR, f"{step}.{os.getpid()}.folded"), "w") as out:
            out.writelines(f"{stack} {count}\n" for stack, count in stacks.items())
