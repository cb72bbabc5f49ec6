"""A local stand-in for the LINE Platform (Messaging API, rich menus, account-link page, and
LINE Login: standin/login.py).

The real platform cannot be reached from development machines or CI, so this speaks the same
paths, JSON and error answers as LINE for what the project uses, records every request and
delivered message, and can inject failures (status codes, time-outs, latency). It also plays
the LINE app: it builds, signs and posts webhook events for simulated users.

    server = start_standin(port=0)   # background thread; server.url, server.state, server.stop()
"""

from .server import StandInServer, start_standin
from .state import StandInState

__all__ = ["StandInServer", "StandInState", "start_standin"]
