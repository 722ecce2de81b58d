"""Median server time and page weight of the pages a newcomer sees first.

Run: `make bench-pages` (or `.venv/bin/python bench/pages.py`). It builds its own SQLite
database under var/bench/ with the demo company, then asks each page through Django's test
client (the whole middleware stack, no network) as it would be served in production (DEBUG
off), and prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "SITE_URL": "https://localhost",
        "ALLOWED_HOSTS": "testserver,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "VAR_DIR": str(ROOT / "var" / "bench"),
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}",
        "CACHE_URL": "db://portal_cache",
        "LOG_LEVEL": "ERROR",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

RUNS = 50
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def _measure(client: Client, path: str) -> tuple[float, int, int]:
    """Median milliseconds, bytes of HTML plus its stylesheets and scripts, asset requests."""
    client.get(path)  # warm caches, as a running server would be
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    html = response.content
    assets = [url for url in ASSET.findall(html.decode()) if url.startswith("/")]
    weight = len(html)
    for url in assets:
        asset = client.get(url)
        weight += len(b"".join(asset.streaming_content) if asset.streaming else asset.content)
    return statistics.median(times), weight, len(assets)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    anonymous = Client()
    person = Client()
    # The demo company's public password (README).
    assert person.login(username="newhire@demo.example", password="customer-first")  # noqa: S106
    rows = [
        ("sign-in", *_measure(anonymous, "/accounts/login/")),
        ("home", *_measure(person, "/")),
        ("profile", *_measure(person, "/profile/")),
    ]
    print("| page | median server time | page weight (HTML + CSS + JS) | asset requests |")
    print("| --- | ---: | ---: | ---: |")
    for name, median, weight, assets in rows:
        print(f"| {name} | {median:.1f} ms | {weight / 1024:.1f} KiB | {assets} |")


if __name__ == "__main__":
    main()
