"""A local HTTP fake of the Slack Web API, for tests that must not reach Slack.

Like bolt-python's tests/mock_web_api_server, it is a real HTTP server on 127.0.0.1, so the
code under test uses slack-sdk's `WebClient` unchanged, with `SLACK_API_URL` pointing here.
It records every call and answers from a script: 429 with Retry-After, 5xx, Slack errors,
dropped connections, or slowly.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

NO_AUTH_METHODS = {"api.test", "oauth.v2.access", "openid.connect.token"}


@dataclass
class Call:
    method: str
    params: dict
    headers: dict
    at: float


@dataclass
class Scripted:
    status: int = 200
    body: dict = field(default_factory=lambda: {"ok": True})
    headers: dict = field(default_factory=dict)
    delay: float | None = None
    drop: bool = False


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


def drop(delay: float | None = None) -> Scripted:
    """Close the connection without answering, as a failing network would."""
    return Scripted(drop=True, delay=delay)


class SlackFake:
    def __init__(self) -> None:
        self.latency = 0.0
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self._ts = itertools.count(100)
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
            self.latency = 0.0

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

    def _default(self, method: str, params: dict) -> Scripted:
        if method == "chat.postMessage":
            return ok(
                channel=params.get("channel"),
                ts=f"1700000000.{next(self._ts):06d}",
                message={"text": params.get("text")},
            )
        if method == "auth.test":
            return ok(user_id="UFAKEBOT", team_id="TFAKE", bot_id="BFAKE")
        return ok()

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
        with self._lock:
            self._calls.append(Call(method, params, headers, time.monotonic()))
            queue = self._scripts.get(method)
            scripted = queue.popleft() if queue else None
            latency = self.latency
        if scripted is None:
            scripted = self._default(method, params)
            authorised = (headers.get("Authorization") or "").startswith("Bearer ")
            if not authorised and method not in NO_AUTH_METHODS:
                scripted = slack_error("not_authed")
        delay = scripted.delay if scripted.delay is not None else latency
        if delay:
            time.sleep(delay)
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
