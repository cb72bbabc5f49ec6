"""Shared steps for the LINE tests: post signed webhooks as LINE does, read the stand-in."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import reverse

from line_integration.standin.events import sign, webhook_body

DESTINATION = "U" + "d" * 32


def in_fresh_process(script: str, **env: str) -> subprocess.CompletedProcess:
    """``script`` run by a new Python with the test settings (and ``env``), as a worker or a
    cron job starts: what it loads at start is its own, not this test process's."""
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def post_events(
    client, events: list[dict], *, signature: str | None = None, secret: str | None = None
):
    """POST the events to our webhook, signed with the channel secret unless told otherwise."""
    body = webhook_body(events, destination=DESTINATION)
    if signature is None:
        signature = sign(body, secret or settings.LINE_CHANNEL_SECRET)
    headers = {"X-Line-Signature": signature} if signature else {}
    return client.post(
        reverse("line:webhook"), data=body, content_type="application/json", headers=headers
    )


def send_event(client, capture, state, kind: str, user_id: str, **fields) -> dict:
    """A user's action in LINE: the stand-in builds the event (and knows its reply token),
    we post it to the webhook and run what the worker would run after commit."""
    event = state.new_event(kind, user_id, **fields)
    with capture(execute=True):
        response = post_events(client, [event])
    assert response.status_code == 200
    return event


def bot_messages(state, user_id: str) -> list[dict]:
    """What the citizen saw from the bot, oldest first (each with .via: reply/push/...)."""
    return state.deliveries(user_id)


def message_texts(message: dict) -> str:
    """All human-readable text of a message (text, altText, Flex texts, button labels)."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("text", "altText", "label"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return "\n".join(found)


def actions_of(message: dict) -> list[dict]:
    """Every action object in a message: Flex buttons and quick replies."""
    found: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("action"), dict):
                found.append(node["action"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return found


def raw_call(server, method: str, path: str, body=None, token: str | None = None):
    """Call the stand-in over HTTP without the SDK (which would refuse a bad body itself):
    (status, decoded JSON answer)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        server.url + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {token or settings.LINE_CHANNEL_ACCESS_TOKEN}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def signed_in_target(uri: str) -> str:
    """The page a LINE button opens once LINE has signed the citizen in: buttons to pages that
    need an account go through our LINE Login entry (/line/login/?next=<page>)."""
    parts = urlsplit(uri)
    assert parts.path == reverse("line:login"), f"{uri} does not sign in with LINE first"
    return parse_qs(parts.query)["next"][0]
