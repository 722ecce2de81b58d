"""/healthz answers within HEALTHZ_TIMEOUT + 1 s whatever hangs, and names what failed; with the
database down, pages answer 503 with a short page instead of a 500."""

from __future__ import annotations

import logging
import selectors
import socket
import threading
import time

import dj_database_url
import pytest
from django.db import OperationalError
from django.test import Client

from portal import errors, health, views

pytestmark = pytest.mark.django_db

TIMEOUT = 1
# What the issue asks: the answer comes within HEALTHZ_TIMEOUT + 1 s.
WITHIN = TIMEOUT + 1


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte: a hung database or broker.

    After `hang_up_after` seconds it drops every connection, so a check that lost its timeout
    fails its timing assertion instead of hanging the test run.
    """

    def __init__(self, hang_up_after: float = 10.0) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.connected = threading.Event()
        self._hang_up_at = time.monotonic() + hang_up_after
        self._wake, self._waker = socket.socketpair()
        self._accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, name="silent-server", daemon=True)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._waker.send(b"x")
        self._thread.join(timeout=5)
        for sock in [*self._accepted, self._listener, self._wake, self._waker]:
            sock.close()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake, selectors.EVENT_READ)
            while (remaining := self._hang_up_at - time.monotonic()) > 0:
                for key, _ in selector.select(remaining):
                    if key.fileobj is self._wake:
                        return
                    conn, _ = self._listener.accept()
                    self._accepted.append(conn)
                    self.connected.set()
            for conn in self._accepted:
                conn.close()


@pytest.fixture
def silent_server():
    with SilentServer() as server:
        yield server


@pytest.fixture
def short_timeout(settings):
    settings.HEALTHZ_TIMEOUT = TIMEOUT


def _point_database_at(monkeypatch, url: str) -> None:
    monkeypatch.setattr(health, "database_settings", lambda: dj_database_url.parse(url))


def _timed_get(client, path="/healthz"):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


def test_healthz_answers_head_with_the_status_and_no_body(client, rf, settings):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    # The test client drops HEAD bodies itself; the view must not send one either.
    direct = views.healthz(rf.head("/healthz"))
    assert direct.status_code == 200
    assert direct.content == b""
    assert direct["Content-Type"] == "application/json"

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    assert views.healthz(rf.head("/healthz")).status_code == 503


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_names_the_broker_when_it_refuses(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["broker"]
    assert body["checks"] == {"database": "ok", "broker": "unavailable"}


def test_healthz_names_the_database_when_it_refuses(client, monkeypatch):
    _point_database_at(monkeypatch, "postgres://postgres@127.0.0.1:9/portal")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert response.json()["checks"] == {"database": "unavailable", "broker": "ok"}


def test_healthz_answers_in_time_when_the_database_hangs(
    client, monkeypatch, silent_server, short_timeout
):
    _point_database_at(monkeypatch, f"postgres://postgres@127.0.0.1:{silent_server.port}/portal")
    response, elapsed = _timed_get(client)
    assert silent_server.connected.is_set()
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert response.json()["checks"]["broker"] == "ok"
    assert elapsed < WITHIN


def test_healthz_answers_in_time_when_the_broker_hangs(
    client, settings, silent_server, short_timeout
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server.port}/0"
    response, elapsed = _timed_get(client)
    assert silent_server.connected.is_set()
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"
    assert elapsed < WITHIN


def test_healthz_answers_in_time_when_both_hang(
    client, settings, monkeypatch, silent_server, short_timeout
):
    _point_database_at(monkeypatch, f"postgres://postgres@127.0.0.1:{silent_server.port}/portal")
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server.port}/0"
    response, elapsed = _timed_get(client)
    assert response.status_code == 503
    assert response.json()["failing"] == ["database", "broker"]
    assert elapsed < WITHIN
    # The probes gave up by themselves: no thread is left waiting on the silent server.
    assert _no_probe_threads_by(time.monotonic() + 1)


def _no_probe_threads_by(deadline: float) -> bool:
    while any(t.name.startswith("healthz") for t in threading.enumerate()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_database_probe_gives_up_by_itself(silent_server):
    target = dj_database_url.parse(f"postgres://postgres@127.0.0.1:{silent_server.port}/portal")
    started = time.monotonic()
    assert not health.database_ok(target, TIMEOUT)
    assert time.monotonic() - started < TIMEOUT + 0.25
    assert silent_server.connected.is_set()


def test_the_broker_probe_gives_up_by_itself(silent_server):
    target = (f"redis://127.0.0.1:{silent_server.port}/0", {})
    started = time.monotonic()
    assert not health.broker_ok(target, TIMEOUT)
    assert time.monotonic() - started < TIMEOUT + 0.25
    assert silent_server.connected.is_set()


def _filesystem_broker(settings, tmp_path, *, missing: str | None = None) -> None:
    folders = {"data_folder_in": "queue", "data_folder_out": "queue", "control_folder": "control"}
    for name in set(folders.values()) - {missing}:
        (tmp_path / name).mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        key: str(tmp_path / name) for key, name in folders.items()
    }


def test_healthz_is_ok_with_the_filesystem_broker_folders_in_place(client, settings, tmp_path):
    _filesystem_broker(settings, tmp_path)
    response = client.get("/healthz")
    assert response.status_code == 200


def test_healthz_names_the_filesystem_broker_when_a_folder_is_missing(client, settings, tmp_path):
    _filesystem_broker(settings, tmp_path, missing="control")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_sqlite_check_reads_the_file_and_never_creates_one(tmp_path):
    import sqlite3

    existing = tmp_path / "portal.sqlite3"
    sqlite3.connect(existing).close()
    missing = tmp_path / "gone" / "portal.sqlite3"
    engine = "django.db.backends.sqlite3"
    assert health.database_ok({"ENGINE": engine, "NAME": str(existing)}, TIMEOUT)
    assert not health.database_ok({"ENGINE": engine, "NAME": str(missing)}, TIMEOUT)
    assert not missing.exists()


@pytest.fixture
def production_errors(settings):
    """Django's own technical page stands in for handler500 while DEBUG is on."""
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_signed_in_person_gets_a_503_page_when_the_database_is_down(
    production_errors, new_hire, monkeypatch, caplog
):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def database_down(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: timeout expired")

    production_errors.force_login(new_hire)
    caplog.set_level(logging.ERROR)
    with monkeypatch.context() as patch:
        # Loading the session from the cookie is the first query of the request.
        patch.setattr(BaseDatabaseWrapper, "cursor", database_down)
        response = production_errors.get("/profile/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "The portal is briefly unavailable, try again in a minute." in body
    assert 'href="/profile/"' in body
    # Django logs the exception once (django.request); the handler adds nothing.
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in logged] == ["django.request"]
    assert logged[0].exc_info[0] is OperationalError


def test_the_503_page_speaks_the_visitors_language(production_errors, new_hire, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def database_down(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    production_errors.force_login(new_hire)
    production_errors.cookies["portal_language"] = "ko"
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", database_down)
        response = production_errors.get("/profile/")
    assert response.status_code == 503
    assert '<html lang="ko">' in response.content.decode()


def test_other_failures_get_a_plain_500_page(production_errors, new_hire, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    production_errors.force_login(new_hire)
    monkeypatch.setattr(views, "profile_for", broken)
    response = production_errors.get("/profile/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    body = response.content.decode()
    assert "Something went wrong on our side." in body
    assert "briefly unavailable" not in body
