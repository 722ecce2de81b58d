"""Which backing services the test run uses: PostgreSQL and Redis in CI, SQLite without them."""

from __future__ import annotations

import os
import socket

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CI_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
CI_BROKER_URL = "redis://127.0.0.1:6379/15"
CI_CACHE_URL = "redis://127.0.0.1:6379/14"


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def choose_services(environ: dict[str, str]) -> bool:
    """Set DATABASE_URL, CELERY_BROKER_URL and CACHE_URL; True when the real services are used.

    Under CI=true they are PostgreSQL and Redis, never a fallback. Locally the same services are
    used when they answer, and otherwise SQLite and the embedded broker.
    """
    if CI or (_listening("127.0.0.1", 5432) and _listening("127.0.0.1", 6379)):
        # Locally, test runs side by side (two terminals, an editor's runner) each get their
        # own database; CI runs one suite on the database it was given.
        environ.setdefault(
            "DATABASE_URL", CI_DATABASE_URL if CI else f"{CI_DATABASE_URL}_{os.getpid()}"
        )
        environ.setdefault("CELERY_BROKER_URL", CI_BROKER_URL)
        environ.setdefault("CACHE_URL", CI_CACHE_URL)
    database = environ.get("DATABASE_URL", "")
    broker = environ.get("CELERY_BROKER_URL", "")
    return database.startswith(("postgres://", "postgresql://")) and broker.startswith("redis://")
