"""A local WebSocket server that plays Slack's Socket Mode end: it greets the app with
`hello`, sends it envelopes (a slash command, an event) and records what the app sends back.

slack-sdk's built-in Socket Mode client connects to the URL `apps.connections.open` returns;
the Web API fake (tests/slack_fake.py) returns this server's. Just enough of RFC 6455 for
that: the handshake, unmasked text frames out, masked text frames in, ping answered with pong.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _frame(payload: bytes, opcode: int = 1) -> bytes:
    head = bytes([0x80 | opcode])
    length = len(payload)
    if length < 126:
        head += bytes([length])
    elif length < 65536:
        head += bytes([126]) + struct.pack("!H", length)
    else:
        head += bytes([127]) + struct.pack("!Q", length)
    return head + payload


def _read_exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(conn: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exactly(conn, 2)
    opcode, masked, length = first & 0x0F, second & 0x80, second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exactly(conn, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exactly(conn, 8))
    mask = _read_exactly(conn, 4) if masked else b"\0\0\0\0"
    data = _read_exactly(conn, length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


class SocketModeFake:
    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._conn: socket.socket | None = None
        self._lock = threading.Lock()
        self.received: list[dict] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=fake"

    def __enter__(self) -> SocketModeFake:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.close()
        if self._conn is not None:
            self._conn.close()

    def _serve(self) -> None:
        try:
            conn, _addr = self._server.accept()
        except OSError:
            return
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        headers = dict(
            line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line
        )
        accept = base64.b64encode(
            hashlib.sha1((headers["Sec-WebSocket-Key"] + GUID).encode()).digest()  # noqa: S324
        ).decode()
        conn.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        self._conn = conn
        self.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "AFAKE"}})
        while True:
            try:
                opcode, data = _read_frame(conn)
            except (ConnectionError, OSError):
                return
            if opcode == 9:  # ping
                with self._lock:
                    conn.sendall(_frame(data, opcode=10))
            elif opcode == 1:
                with self._lock:
                    self.received.append(json.loads(data))
            elif opcode == 8:
                return

    def connected(self, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._conn is not None:
                return True
            time.sleep(0.05)
        return False

    def send(self, message: dict) -> None:
        assert self._conn is not None, "nobody connected"
        with self._lock:
            self._conn.sendall(_frame(json.dumps(message).encode()))

    def wait_for(self, envelope_id: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for message in self.received:
                    if message.get("envelope_id") == envelope_id:
                        return message
            time.sleep(0.05)
        raise AssertionError(f"no answer to {envelope_id}: {self.received}")
