"""A local HTTP fake of the Slack Web API, for tests that must not reach Slack.

Like bolt-python's tests/mock_web_api_server, it is a real HTTP server on 127.0.0.1, so the
code under test uses slack-sdk's `WebClient` unchanged, with `SLACK_API_URL` pointing here.
It records every call and answers from a script: 429 with Retry-After, 5xx, Slack errors,
dropped connections, or slowly. It keeps the messages `chat.postMessage` posted, and answers
`conversations.history` and `conversations.replies` from them as Slack does.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

NO_AUTH_METHODS = {"api.test", "oauth.v2.access", "openid.connect.token"}
# Slack's defaults when a call gives no limit.
DEFAULT_LIMITS = {"conversations.history": 100, "conversations.replies": 1000}


@dataclass
class Call:
    method: str
    params: dict
    headers: dict
    at: float


@dataclass
class Posted:
    """A message in the fake workspace, as chat.postMessage left it."""

    channel: str
    ts: str
    text: str
    thread_ts: str = ""
    metadata: dict | None = None

    def as_slack(self, *, include_metadata: bool) -> dict:
        message = {
            "type": "message",
            "user": "UFAKEBOT",
            "bot_id": "BFAKE",
            "text": self.text,
            "ts": self.ts,
        }
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        # Slack leaves metadata out of history unless include_all_metadata asks for it.
        if include_metadata and self.metadata:
            message["metadata"] = self.metadata
        return message


@dataclass
class Scripted:
    status: int = 200
    body: dict = field(default_factory=lambda: {"ok": True})
    headers: dict = field(default_factory=dict)
    delay: float | None = None
    drop: bool = False
    # For chat.postMessage: whether Slack posted the message; by default, when it answers ok.
    posts: bool | None = None

    @property
    def is_ok(self) -> bool:
        return self.status == 200 and not self.drop and bool(self.body.get("ok"))


def ok(delay: float | None = None, **extra) -> Scripted:
    return Scripted(body={"ok": True, **extra}, delay=delay)


def rate_limited(retry_after: int, delay: float | None = None) -> Scripted:
    return Scripted(
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": str(retry_after)},
        delay=delay,
    )


def server_error(status: int = 500, delay: float | None = None) -> Scripted:
    return Scripted(status=status, body={"ok": False, "error": "internal_error"}, delay=delay)


def slack_error(error: str, delay: float | None = None) -> Scripted:
    """How Slack reports a refusal such as channel_not_found: HTTP 200 with ok false."""
    return Scripted(body={"ok": False, "error": error}, delay=delay)


def drop(delay: float | None = None, posted: bool = False) -> Scripted:
    """Close the connection without answering, as a failing network would.

    `posted=True` for chat.postMessage: Slack posted the message, but its answer was lost.
    """
    return Scripted(drop=True, delay=delay, posts=posted)


def dm_channel(channel: str) -> str:
    """As Slack does, a post to a member ID lands in the app's DM with them (a D… channel)."""
    return "D" + channel[1:] if channel[:1] in ("U", "W") else channel


def _truthy(value) -> bool:
    return str(value).lower() in {"1", "true"}


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    kind, _, offset = base64.b64decode(cursor.encode()).decode().partition(":")
    if kind != "offset" or not offset.isdigit():
        raise ValueError(cursor)
    return int(offset)


class SlackFake:
    def __init__(self) -> None:
        self.latency = 0.0
        # Slack allows about one message a second per channel: with a positive interval, a
        # chat.postMessage sooner than that after the channel's last one gets 429 + Retry-After.
        self.channel_interval = 0.0
        self._channel_last: dict[str, float] = {}
        self.rate_limited = 0
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self._posted: list[Posted] = []
        self._last_ts_us = 0
        self._members: dict[str, dict] = {}
        # What apps.connections.open answers: a Socket Mode server's URL (tests/socket_mode_fake).
        self.socket_url = ""
        self._view_number = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle ------------------------------------------------------------------------------

    def start(self) -> SlackFake:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._handle(self)

            do_GET = do_POST

            def log_message(self, format, *args) -> None:  # noqa: A002
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    # Scripting and inspection --------------------------------------------------------------

    def script(self, method: str, *responses: Scripted) -> None:
        with self._lock:
            self._scripts[method].extend(responses)

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._scripts.clear()
            self._posted.clear()
            self._members.clear()
            self._channel_last.clear()
            self.latency = 0.0
            self.channel_interval = 0.0
            self.rate_limited = 0

    def posted(self, channel: str | None = None) -> list[Posted]:
        """Messages in the fake workspace, oldest first."""
        wanted = dm_channel(channel) if channel else None
        with self._lock:
            return [p for p in self._posted if wanted is None or p.channel == wanted]

    def add_message(
        self, channel: str, text: str, *, metadata: dict | None = None, thread_ts: str = ""
    ) -> Posted:
        """Put a message in a channel as if it had been posted earlier."""
        with self._lock:
            return self._post(channel, text, metadata=metadata, thread_ts=thread_ts)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for_calls(self, n: int, method: str | None = None, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(method)
            if len(found) >= n:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"expected {n} call(s) to {method or 'any method'} within {timeout}s, "
            f"got {[c.method for c in self.calls()]}"
        )

    # Serving -------------------------------------------------------------------------------

    def _next_ts(self) -> str:
        # Slack's ts is its clock in seconds and microseconds, unique within a channel.
        self._last_ts_us = max(time.time_ns() // 1000, self._last_ts_us + 1)
        seconds, micros = divmod(self._last_ts_us, 1_000_000)
        return f"{seconds}.{micros:06d}"

    def _post(
        self,
        channel: str,
        text: str,
        *,
        metadata: dict | str | None = None,
        thread_ts: str = "",
        ts: str = "",
    ) -> Posted:
        """Call with the lock held."""
        if isinstance(metadata, str):
            metadata = json.loads(metadata or "null")
        posted = Posted(channel, ts or self._next_ts(), text, thread_ts or "", metadata or None)
        self._posted.append(posted)
        return posted

    def _post_from(self, params: dict, scripted: Scripted | None) -> Posted | None:
        """Call with the lock held: the message is in the channel as soon as Slack reads the
        request, whether or not its answer ever arrives."""
        posts = scripted is None or (
            scripted.posts if scripted.posts is not None else scripted.is_ok
        )
        if not posts:
            return None
        return self._post(
            dm_channel(params.get("channel") or ""),
            params.get("text") or "",
            metadata=params.get("metadata"),
            thread_ts=params.get("thread_ts") or "",
            ts=(scripted.body.get("ts") if scripted else "") or "",
        )

    def _history(self, method: str, params: dict) -> Scripted:
        try:
            offset = _offset(params["cursor"]) if params.get("cursor") else 0
        except ValueError:
            return slack_error("invalid_cursor")
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or "inf")
        inclusive = _truthy(params.get("inclusive"))
        limit = int(params.get("limit") or DEFAULT_LIMITS[method])
        in_channel = self.posted(params.get("channel"))
        if method == "conversations.replies":
            root = params.get("ts")
            messages = [p for p in in_channel if root in (p.ts, p.thread_ts)]
        else:
            # Thread replies stay in their thread; history is newest first.
            messages = [p for p in reversed(in_channel) if not p.thread_ts]
        messages = [
            p
            for p in messages
            if (oldest <= float(p.ts) <= latest if inclusive else oldest < float(p.ts) < latest)
        ]
        page = messages[offset : offset + limit]
        more = offset + limit < len(messages)
        include_metadata = _truthy(params.get("include_all_metadata"))
        return ok(
            messages=[p.as_slack(include_metadata=include_metadata) for p in page],
            has_more=more,
            response_metadata={"next_cursor": _cursor(offset + limit) if more else ""},
        )

    def add_member(
        self, user_id: str, email: str, *, name: str = "", bot: bool = False, deleted: bool = False
    ) -> dict:
        """A member of the fake workspace, for users.info and users.list."""
        member = {
            "id": user_id,
            "name": name or email.split("@")[0],
            "deleted": deleted,
            "is_bot": bot,
            "profile": {"email": email, "real_name": name or email.split("@")[0]},
        }
        with self._lock:
            self._members[user_id] = member
        return member

    def response_url(self, name: str = "1") -> str:
        """A URL to give as a payload's response_url: what is sent there is recorded as a
        call to the method `response.<name>`."""
        return f"{self.url}response.{name}"

    def _views(self, method: str, params: dict) -> Scripted:
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else (view or {})
        with self._lock:
            self._view_number += 1
            number = self._view_number
        view_id = params.get("view_id") or f"V{number:08d}"
        return ok(view={**view, "id": view_id, "hash": f"hash-{number}"})

    def _users_list(self, params: dict) -> Scripted:
        try:
            offset = _offset(params["cursor"]) if params.get("cursor") else 0
        except ValueError:
            return slack_error("invalid_cursor")
        limit = int(params.get("limit") or 100)
        with self._lock:
            members = list(self._members.values())
        page = members[offset : offset + limit]
        more = offset + limit < len(members)
        return ok(
            members=page,
            response_metadata={"next_cursor": _cursor(offset + limit) if more else ""},
        )

    def _default(self, method: str, params: dict, posted: Posted | None) -> Scripted:
        if method == "apps.connections.open" and self.socket_url:
            return ok(url=self.socket_url)
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            return self._views(method, params)
        if method == "chat.getPermalink":
            channel, ts = params.get("channel", ""), params.get("message_ts", "")
            return ok(permalink=f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}")
        if method == "users.info":
            member = self._members.get(params.get("user", ""))
            return ok(user=member) if member else slack_error("user_not_found")
        if method == "users.list":
            return self._users_list(params)
        if method == "chat.update":
            return ok(channel=params.get("channel"), ts=params.get("ts"))
        if method.startswith("response."):
            return ok()
        if method == "chat.postMessage" and posted:
            return ok(channel=posted.channel, ts=posted.ts, message={"text": posted.text})
        if method in DEFAULT_LIMITS:
            return self._history(method, params)
        if method == "conversations.open":
            return ok(channel={"id": dm_channel(params.get("users") or "")})
        if method == "auth.test":
            return ok(user_id="UFAKEBOT", team_id="TFAKE", bot_id="BFAKE")
        return ok()

    def _channel_rate(self, channel: str) -> Scripted | None:
        """Call with the lock held: 429 when the channel had a message less than
        `channel_interval` seconds ago, else None (and the channel's clock restarts)."""
        now = time.monotonic()
        last = self._channel_last.get(channel)
        if last is not None and now - last < self.channel_interval:
            self.rate_limited += 1
            return rate_limited(retry_after=max(1, round(self.channel_interval - (now - last))))
        self._channel_last[channel] = now
        return None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        method = parts.path.rsplit("/", 1)[-1]
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        params = dict(parse_qsl(parts.query))
        if "json" in (request.headers.get("Content-Type") or ""):
            params.update(json.loads(raw or "{}"))
        else:
            params.update(parse_qsl(raw))
        headers = dict(request.headers.items())
        authorised = (headers.get("Authorization") or "").startswith("Bearer ")
        with self._lock:
            self._calls.append(Call(method, params, headers, time.monotonic()))
            queue = self._scripts.get(method)
            scripted = queue.popleft() if queue else None
            if scripted is None and method == "chat.postMessage" and self.channel_interval:
                scripted = self._channel_rate(params.get("channel") or "")
            latency = self.latency
            posted = None
            if method == "chat.postMessage" and (authorised or scripted is not None):
                posted = self._post_from(params, scripted)
        if scripted is None:
            if authorised or method in NO_AUTH_METHODS or method.startswith("response."):
                scripted = self._default(method, params, posted)
            else:
                scripted = slack_error("not_authed")
        elif posted and scripted.is_ok:
            defaults = {"channel": posted.channel, "ts": posted.ts}
            scripted = Scripted(
                body={**defaults, **scripted.body}, headers=scripted.headers, delay=scripted.delay
            )
        delay = scripted.delay if scripted.delay is not None else latency
        if delay:
            time.sleep(delay)
        try:
            if scripted.drop:
                request.close_connection = True
                request.connection.close()
                return
            payload = json.dumps(scripted.body).encode()
            request.send_response(scripted.status)
            request.send_header("Content-Type", "application/json; charset=utf-8")
            request.send_header("Content-Length", str(len(payload)))
            for name, value in scripted.headers.items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The caller gave up (or was killed) while the answer was delayed.
            request.close_connection = True
