"""Everything the stand-in remembers, in memory, behind one lock.

Tests read it directly (server.state); the simulator page and other processes read it through
the /__standin/ control endpoints. Nothing here touches Django or a database.
"""

import copy
import threading
import time
from dataclasses import asdict, dataclass

from . import events

MAX_LOGGED_REQUESTS = 5000


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Fault:
    """An injected failure for requests whose path starts with `path`."""

    path: str
    status: int | None = None
    timeout: bool = False
    accept_then_timeout: bool = False
    times: int = 1
    method: str | None = None
    retry_after: int | None = None  # seconds, sent as Retry-After with a status fault

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path) and self.method in (None, method)


class StandInState:
    def __init__(
        self,
        *,
        access_token: str,
        channel_secret: str,
        webhook_url: str | None = None,
        simulator_url: str | None = None,
    ):
        self.lock = threading.RLock()
        self.stop_event = threading.Event()
        self.access_token = access_token
        self.channel_secret = channel_secret
        self.webhook_url = webhook_url
        self.simulator_url = simulator_url
        self.destination = "U" + "d" * 32  # the bot's own user id, as in every webhook body
        self.latency_ms = 0
        self.hang_seconds = 30.0  # how long a "timeout" fault keeps the client waiting
        self.reply_token_ttl = 60.0
        self.link_token_ttl = 600.0
        self.users: dict[str, dict] = {}
        self._clear_records()

    def _clear_records(self) -> None:
        self.request_log: list[dict] = []
        self.chats: dict[str, list[dict]] = {}
        self.retry_keys: dict[str, dict] = {}
        self.reply_tokens: dict[str, dict] = {}
        self.link_tokens: dict[str, dict] = {}
        self.rich_menus: dict[str, dict] = {}
        self.aliases: dict[str, str] = {}
        self.default_rich_menu: str | None = None
        self.user_rich_menus: dict[str, str] = {}
        self.contents: dict[str, tuple[bytes, str]] = {}
        self.webhooks: list[dict] = []
        self.faults: list[Fault] = []
        self._seq = 0

    def next_seq(self) -> int:
        with self.lock:
            self._seq += 1
            return self._seq

    def reset(self, *, keep_users: bool = False) -> None:
        """Forget requests, chats, rich menus, faults and latency (and users unless kept)."""
        with self.lock:
            self._clear_records()
            self.latency_ms = 0
            if not keep_users:
                self.users = {}

    # Users -----------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        display_name: str = "ผู้ใช้ทดสอบ",
        user_id: str | None = None,
        following: bool = True,
        language: str = "th",
    ) -> dict:
        user = {
            "userId": user_id or events.new_user_id(),
            "displayName": display_name,
            "language": language,
            "following": following,
            "createdAt": now_ms(),
        }
        with self.lock:
            self.users[user["userId"]] = user
            self.chats.setdefault(user["userId"], [])
        return dict(user)

    def user(self, user_id: str) -> dict | None:
        with self.lock:
            user = self.users.get(user_id)
            return dict(user) if user else None

    # Faults ----------------------------------------------------------------------------------

    def inject(
        self,
        path: str,
        *,
        status: int | None = None,
        timeout: bool = False,
        accept_then_timeout: bool = False,
        times: int = 1,
        method: str | None = None,
        retry_after: int | None = None,
    ) -> Fault:
        """Make the next `times` matching API requests fail (status, with a Retry-After
        header when given), hang before processing (timeout) or be processed and then hang
        (accept_then_timeout)."""
        if sum((status is not None, timeout, accept_then_timeout)) != 1:
            raise ValueError("give exactly one of status, timeout, accept_then_timeout")
        fault = Fault(path, status, timeout, accept_then_timeout, times, method, retry_after)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(method, path):
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return copy.copy(fault)
        return None

    def fault_list(self) -> list[dict]:
        with self.lock:
            return [asdict(fault) for fault in self.faults]

    def pause(self, seconds: float) -> None:
        """Sleep that ends early when the server stops, so no thread outlives a test."""
        if seconds > 0:
            self.stop_event.wait(seconds)

    # Records ---------------------------------------------------------------------------------

    def log_request(self, entry: dict) -> None:
        with self.lock:
            entry["seq"] = self._seq = self._seq + 1
            self.request_log.append(entry)
            del self.request_log[:-MAX_LOGGED_REQUESTS]

    def requests(self, path: str | None = None, method: str | None = None) -> list[dict]:
        """Recorded API requests, oldest first; `path` filters by prefix."""
        with self.lock:
            return [
                copy.deepcopy(entry)
                for entry in self.request_log
                if (path is None or entry["path"].startswith(path))
                and (method is None or entry["method"] == method)
            ]

    def add_chat(self, user_id: str, entry: dict) -> dict:
        with self.lock:
            entry.setdefault("time", now_ms())
            entry["seq"] = self._seq = self._seq + 1
            self.chats.setdefault(user_id, []).append(entry)
            return entry

    def chat(self, user_id: str, *, since: int = 0) -> list[dict]:
        with self.lock:
            return [copy.deepcopy(e) for e in self.chats.get(user_id, []) if e["seq"] > since]

    def deliveries(self, user_id: str | None = None) -> list[dict]:
        """Messages the bot delivered (push, reply, multicast, broadcast), oldest first."""
        with self.lock:
            users = [user_id] if user_id else list(self.chats)
            found = [
                copy.deepcopy(entry)
                for uid in users
                for entry in self.chats.get(uid, [])
                if entry["direction"] == "bot" and entry.get("delivered")
            ]
        return sorted(found, key=lambda entry: entry["seq"])

    # Tokens ----------------------------------------------------------------------------------

    def issue_reply_token(self, user_id: str, token: str | None = None) -> str:
        token = token or events.new_reply_token()
        with self.lock:
            self.reply_tokens[token] = {"userId": user_id, "issuedAt": time.time(), "used": False}
        return token

    def use_reply_token(self, token: str) -> str | None:
        """The user the token answers, consuming it; None when unknown, used or expired."""
        with self.lock:
            entry = self.reply_tokens.get(token)
            if not entry or entry["used"]:
                return None
            if time.time() - entry["issuedAt"] > self.reply_token_ttl:
                return None
            entry["used"] = True
            return entry["userId"]

    def use_link_token(self, token: str) -> tuple[str | None, bool]:
        """(user id, valid): a link token is good once, for link_token_ttl seconds."""
        with self.lock:
            entry = self.link_tokens.get(token)
            if not entry:
                return None, False
            valid = not entry["used"] and time.time() - entry["issuedAt"] <= self.link_token_ttl
            entry["used"] = True
            return entry["userId"], valid

    # Rich menus ------------------------------------------------------------------------------

    def effective_rich_menu(self, user_id: str) -> dict | None:
        """What the user sees: their own linked menu, else the default one."""
        with self.lock:
            menu_id = self.user_rich_menus.get(user_id) or self.default_rich_menu
            entry = self.rich_menus.get(menu_id) if menu_id else None
            return copy.deepcopy(entry["menu"]) if entry else None

    # Webhook events --------------------------------------------------------------------------

    def new_event(
        self,
        kind: str,
        user_id: str,
        *,
        image: bytes | None = None,
        content_type: str = "image/jpeg",
        display_text: str | None = None,
        **fields,
    ) -> dict:
        """Build a webhook event whose reply token this stand-in will accept, and show the
        user's side of it in the chat (as the LINE app would)."""
        event = events.build_event(kind, user_id=user_id, **fields)
        if "replyToken" in event:
            self.issue_reply_token(user_id, event["replyToken"])
        with self.lock:
            if kind == "image":
                self.contents[event["message"]["id"]] = (image or b"", content_type)
            if kind in {"follow", "unfollow"} and user_id in self.users:
                self.users[user_id]["following"] = kind == "follow"
        shown = {
            "message": fields.get("text"),
            "postback": display_text,
            "image": "[รูปภาพ]",
            "sticker": "[สติกเกอร์]",
            "follow": "เพิ่มเพื่อน",
            "unfollow": "บล็อก",
            "accountLink": f"เชื่อมบัญชี: {fields.get('result', 'ok')}",
        }[kind]
        self.add_chat(
            user_id,
            {
                "direction": "user",
                "kind": kind,
                "text": shown,
                "event": copy.deepcopy(event),
                "webhookEventId": event["webhookEventId"],
                "webhook": None,
            },
        )
        return event

    def deliver_event(self, event: dict) -> dict:
        """POST one event to the webhook URL, signed, and note the answer in the chat."""
        user_id = event["source"]["userId"]
        if not self.webhook_url:
            result = events.WebhookResult(None, "", error="no webhook URL configured")
        else:
            result = events.post_webhook(
                self.webhook_url,
                [event],
                self.channel_secret,
                destination=self.destination,
            )
        outcome = {"status": result.status, "body": result.body[:500], "error": result.error}
        with self.lock:
            self.webhooks.append(
                {
                    "time": now_ms(),
                    "userId": user_id,
                    "event": copy.deepcopy(event),
                    **outcome,
                }
            )
            for entry in self.chats.get(user_id, []):
                if entry.get("webhookEventId") == event["webhookEventId"]:
                    entry["webhook"] = outcome
        return outcome

    def send(self, kind: str, user_id: str, **fields) -> dict:
        """What a user's tap or message does: build the event and deliver it to the webhook."""
        event = self.new_event(kind, user_id, **fields)
        return {"event": event, "webhook": self.deliver_event(event)}

    def redeliver(self, webhook_event_id: str) -> dict | None:
        """Send an earlier event again, same id, with deliveryContext.isRedelivery true."""
        with self.lock:
            found = next(
                (
                    w["event"]
                    for w in self.webhooks
                    if w["event"]["webhookEventId"] == webhook_event_id
                ),
                None,
            )
        if found is None:
            return None
        event = copy.deepcopy(found)
        event["deliveryContext"]["isRedelivery"] = True
        return {"event": event, "webhook": self.deliver_event(event)}
