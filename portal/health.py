"""Probes behind `/healthz`: does the database answer, does the broker answer.

Each probe opens its own short-lived connection and gives up at a deadline, so a service that
accepts connections and never answers makes the probe fail instead of holding a web worker.
Nothing here changes state.
"""

from __future__ import annotations

import logging
import os
import selectors
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# Keys Django reads from a PostgreSQL OPTIONS dict itself; everything else is a libpq parameter.
_DJANGO_ONLY_OPTIONS = frozenset(
    {
        "assume_role",
        "context",
        "cursor_factory",
        "isolation_level",
        "pool",
        "prepare_threshold",
        "server_side_binding",
    }
)
# How long past the checks' own deadline the view waits for a thread to hand back its answer.
_COLLECT_GRACE = 0.5


def check_all(timeout: float) -> dict[str, bool]:
    """Run every probe at once, each bounded by `timeout` seconds; name → answered.

    The probes run side by side rather than one after the other so that both hanging still
    costs `timeout`, not twice that, and each probe keeps the whole budget: splitting it would
    make a slow-but-working service look down. Each probe stops itself at its deadline, so its
    thread ends with the request; only a host name lookup (libpq's, redis-py's) cannot be
    interrupted, and the resolver's own timeout bounds that.
    """
    # Read the targets here: Django's connections are per thread, and a test or a request may
    # have changed the settings only in this one.
    probes = {
        "database": (database_ok, database_settings()),
        "broker": (broker_ok, broker_target()),
    }
    executor = ThreadPoolExecutor(max_workers=len(probes), thread_name_prefix="healthz")
    try:
        futures = {
            name: executor.submit(probe, target, timeout)
            for name, (probe, target) in probes.items()
        }
        wait_for_futures(futures.values(), timeout=timeout + _COLLECT_GRACE)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    results = {}
    for name, future in futures.items():
        if not future.done():
            logger.warning("healthz: the %s check did not finish in %ss", name, timeout)
            results[name] = False
        else:
            results[name] = future.result()
    return results


def database_settings() -> dict[str, Any]:
    return dict(connections[DEFAULT_DB_ALIAS].settings_dict)


def database_ok(settings_dict: dict[str, Any], timeout: float) -> bool:
    engine = settings_dict.get("ENGINE", "")
    try:
        if "postgresql" in engine or "postgis" in engine:
            return _postgres_answers(_libpq_params(settings_dict), time.monotonic() + timeout)
        if "sqlite3" in engine or "spatialite" in engine:
            return _sqlite_answers(settings_dict["NAME"], timeout)
    except Exception as exc:  # noqa: BLE001  (any failure means the database is not usable)
        logger.warning("healthz: database check failed: %s", exc)
        return False
    logger.warning("healthz: no database check for engine %s", engine)
    return False


def _libpq_params(settings_dict: dict[str, Any]) -> dict[str, Any]:
    params = {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if key not in _DJANGO_ONLY_OPTIONS
    }
    params["dbname"] = settings_dict.get("NAME") or "postgres"
    for setting, param in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host")):
        if settings_dict.get(setting):
            params[param] = settings_dict[setting]
    if settings_dict.get("PORT"):
        params["port"] = str(settings_dict["PORT"])
    # libpq applies connect_timeout only to its blocking connect, never below 2 s; the loop
    # below keeps its own deadline instead.
    params.pop("connect_timeout", None)
    return params


def _postgres_answers(params: dict[str, Any], deadline: float) -> bool:
    """Connect and run SELECT 1 through libpq's non-blocking calls, waiting at most to deadline.

    psycopg's Connection.connect() rounds connect_timeout up to 2 s and its queries wait for
    the server without limit; driving libpq directly bounds both, with no extra thread.
    """
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    pgconn = pq.PGconn.connect_start(make_conninfo("", **params).encode())
    try:
        status = pq.PollingStatus.WRITING
        while status != pq.PollingStatus.OK:
            if pgconn.status == pq.ConnStatus.BAD or status == pq.PollingStatus.FAILED:
                raise ConnectionError(pgconn.get_error_message().strip())
            reading = status == pq.PollingStatus.READING
            # The socket can change between polls (a next host, an SSL retry): ask each time.
            _wait_ready(pgconn.socket, reading=reading, deadline=deadline)
            status = pgconn.connect_poll()

        pgconn.nonblocking = 1
        pgconn.send_query(b"SELECT 1")
        while pgconn.flush():
            _wait_ready(pgconn.socket, reading=False, deadline=deadline)
        pgconn.consume_input()
        while pgconn.is_busy():
            _wait_ready(pgconn.socket, reading=True, deadline=deadline)
            pgconn.consume_input()
        result = pgconn.get_result()
        return result is not None and result.status == pq.ExecStatus.TUPLES_OK
    finally:
        pgconn.finish()


def _wait_ready(fd: int, *, reading: bool, deadline: float) -> None:
    """Wait until fd can be read (or written); TimeoutError once the deadline has passed."""
    remaining = deadline - time.monotonic()
    if remaining > 0:
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ if reading else selectors.EVENT_WRITE)
            if selector.select(remaining):
                return
    raise TimeoutError("no answer before the deadline")


def _sqlite_answers(name: str, timeout: float) -> bool:
    # mode=rw: a missing file is a failure, not a new empty database.
    uri = name if str(name).startswith("file:") else f"file:{quote(str(name))}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
    try:
        # Reading the schema touches the file; SELECT 1 alone would not.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    finally:
        conn.close()


def broker_target() -> tuple[str, dict[str, Any]]:
    return (
        settings.CELERY_BROKER_URL,
        dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}),
    )


def broker_ok(target: tuple[str, dict[str, Any]], timeout: float) -> bool:
    url, options = target
    try:
        if urlsplit(url).scheme == "filesystem":
            return _filesystem_broker_ready(options)
        return _broker_answers(url, options, timeout)
    except Exception as exc:  # noqa: BLE001  (any failure means the broker is not usable)
        logger.warning("healthz: broker check failed: %s", exc)
        return False


def _filesystem_broker_ready(options: dict[str, Any]) -> bool:
    # kombu's own defaults, for folders the settings leave out.
    folders = [
        options.get("data_folder_in", "data_in"),
        options.get("data_folder_out", "data_out"),
        options.get("control_folder", "control"),
    ]
    if options.get("store_processed"):
        folders.append(options.get("processed_folder", "processed"))
    missing = [
        str(f) for f in folders if not (os.path.isdir(f) and os.access(f, os.W_OK | os.X_OK))
    ]
    if missing:
        logger.warning("healthz: broker folders missing or not writable: %s", ", ".join(missing))
    return not missing


def _broker_answers(url: str, options: dict[str, Any], timeout: float) -> bool:
    from kombu import Connection

    options = {**options, "max_retries": 0}
    if urlsplit(url).scheme.startswith(("redis", "sentinel")):
        # Bounds both the TCP connect and every reply (the handshake, then PING); without
        # retry_on_timeout redis-py tries once.
        options.update(
            socket_connect_timeout=timeout, socket_timeout=timeout, retry_on_timeout=False
        )
    with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
        # A virtual transport (Redis) opens a channel and PINGs to establish the connection.
        conn.ensure_connection(max_retries=0, timeout=timeout)
        conn.default_channel  # noqa: B018
    return True
