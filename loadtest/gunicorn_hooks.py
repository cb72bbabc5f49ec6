"""gunicorn hooks for the load runs (`gunicorn -c loadtest/gunicorn_hooks.py`): the CPU each
request cost its worker, per step, so that `load_cpu_step` can say where the site's CPU goes.

A sync worker handles one request at a time, so the worker's process CPU time from just before
the application is called until the response has been sent is that request's cost (Django,
templates, the photo check, password hashes; not PostgreSQL's or Redis's side). Each worker
appends "<step> <cpu microseconds>" lines to LOADTEST_CPU_LOG.

With LOADTEST_PROFILE set to a folder, each worker also profiles every request with cProfile,
one profile per step, and writes them there as <step>.<pid>.prof when it exits (for
`python -m pstats`). Profiles count the wall clock (a CPU clock costs a system call per
function call), so profile with few citizens (LOADTEST_USERS=2) on a quiet machine; profiling
makes the run slower, so its other timings mean nothing.
"""

import os
import time

CPU_LOG = os.environ.get("LOADTEST_CPU_LOG")
PROFILE_DIR = os.environ.get("LOADTEST_PROFILE")
_state: dict = {"log": None, "profiles": {}}


def _step(req) -> str:
    for name, value in req.headers:
        if name == "X-BENCH-STEP":
            return value.rsplit(":", 1)[-1]
    return "-"


def pre_request(worker, req):
    req.cpu_started = time.process_time()
    if PROFILE_DIR:
        import cProfile

        step = _step(req)
        if step not in _state["profiles"]:
            _state["profiles"][step] = cProfile.Profile()
        profile = _state["profiles"][step]
        req.profile = profile
        profile.enable()


def post_request(worker, req, environ, resp):
    profile = getattr(req, "profile", None)
    if profile is not None:
        profile.disable()
    started = getattr(req, "cpu_started", None)
    if CPU_LOG and started is not None:
        if _state["log"] is None:
            _state["log"] = open(CPU_LOG, "a", buffering=1)  # noqa: SIM115 (the worker's life)
        used_us = int((time.process_time() - started) * 1_000_000)
        _state["log"].write(f"{_step(req)} {used_us}\n")


def worker_exit(server, worker):
    for step, profile in _state["profiles"].items():
        profile.dump_stats(os.path.join(PROFILE_DIR, f"{step}.{os.getpid()}.prof"))
