"""Median server time and page weight of the pages a newcomer sees first.

Run: `make bench` (or `.venv/bin/python bench/pages.py`). It builds its own SQLite database
under var/bench/ with the demo company, then asks each page through Django's test client (the
whole middleware stack, no network) as it would be served in production (DEBUG off), and
prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import re
import statistics

from _site import VAR_DIR, configure, load_demo, signed_in, timed_get

configure(database_url=f"sqlite:///{VAR_DIR / 'bench.sqlite3'}")

from django.test import Client  # noqa: E402

RUNS = 50
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def _measure(client: Client, path: str) -> tuple[float, int, int]:
    """Median milliseconds, bytes of HTML plus its stylesheets and scripts, asset requests."""
    client.get(path)  # warm caches, as a running server would be
    times = []
    for _ in range(RUNS):
        elapsed, response = timed_get(client, path)
        times.append(elapsed)
    html = response.content
    assets = [url for url in ASSET.findall(html.decode()) if url.startswith("/")]
    weight = len(html)
    for url in assets:
        asset = client.get(url)
        weight += len(b"".join(asset.streaming_content) if asset.streaming else asset.content)
    return statistics.median(times), weight, len(assets)


def main() -> None:
    load_demo()
    anonymous = Client()
    person = signed_in("newhire@demo.example")
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
