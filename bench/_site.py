"""What the benchmarks share: the site configured as production runs it, the demo company, and
a timed request through Django's test client.

Import this before anything from Django, then call `configure()` once: settings are read from
the environment when Django starts.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = ROOT / "var" / "bench"
# The demo company's public password (README).
DEMO_PASSWORD = "customer-first"  # noqa: S105


BENCH_CACHE_URL = "redis://127.0.0.1:6379/13"


def cache_url() -> str:
    """The cache production runs on (Redis, README), when there is one here; else the
    database cache, said on the output's first line."""
    import socket
    from urllib.parse import urlsplit

    url = os.environ.get("BENCH_CACHE_URL", BENCH_CACHE_URL)
    if url.startswith("redis://"):
        parts = urlsplit(url)
        try:
            socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
        except OSError:
            print("Redis is not reachable: measuring on the database cache.", file=sys.stderr)
            return "db://portal_cache"
    return url


def configure(*, database_url: str) -> None:
    """Start Django with DEBUG off (as served in production) on the given database."""
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
            "VAR_DIR": str(VAR_DIR),
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url(),
            # Wagtail's workflow emails from the demo's stories stay in memory, off the output.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django

    django.setup()


def server(url: str):
    """A connection to the server's maintenance database, or stop with what to start."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"BENCH_DATABASE_URL must be a PostgreSQL URL (it is {url!r}).")
    if "bench" not in name:
        # It is dropped: never anything that could be someone's real database.
        sys.exit(f"The benchmark drops its database: its name must contain 'bench' ({name!r}).")
    try:
        return psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        )
    except psycopg.OperationalError as error:
        sys.exit(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} "
            f"({str(error).strip().splitlines()[0]}).\n"
            "Start it (e.g. `sudo service postgresql start`, or `docker run -d -p 5432:5432 "
            "-e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`), or point BENCH_DATABASE_URL at "
            "a server where the user may create databases."
        )


def fresh_database(url: str) -> None:
    """Drop and create the benchmark's database."""
    quoted = '"' + urlsplit(url).path.lstrip("/").replace('"', '""') + '"'
    with server(url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {quoted}")


def load_demo() -> None:
    """Migrate, collect the static files and load the demo company (idempotent)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo", force=True, verbosity=0, stdout=quiet)


def signed_in(email: str):
    """A test client signed in as one of the demo company's people."""
    from django.test import Client

    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD), email
    return client


def timed_get(client, path: str):
    """(milliseconds, response) of one GET through the whole middleware stack; it must be 200."""
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, response


# --- reference pages and the measure (after configure()) -------------------------------------

BARE_SLUG = "bench-bare"
FRAME_SLUG = "bench-frame"

FRAME = """{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}
{% block content %}<h1>{{ page.title }}</h1>{% endblock %}"""


def reference_pages() -> tuple[str, str]:
    """Two plain Wagtail pages under the home page: the baseline, drawn by Wagtail's own
    template (wagtailcore/page.html), and the same page drawn in the portal's frame (base.html:
    header, navigation, language menu, messages) with no content, to tell the frame's cost
    from a page's own."""
    from django.template import engines
    from django.template.response import TemplateResponse
    from wagtail.models import Page, Site

    home = Site.objects.get(is_default_site=True).root_page
    pages = {}
    for slug, title in ((BARE_SLUG, "Bench bare page"), (FRAME_SLUG, "Bench framed page")):
        pages[slug] = Page.objects.child_of(home).filter(slug=slug).first() or home.add_child(
            instance=Page(title=title, slug=slug)
        )
    framed_pk = pages[FRAME_SLUG].pk
    frame = engines["django"].from_string(FRAME)
    serve = Page.serve

    def serve_in_frame(page, request, *args, **kwargs):
        if page.pk == framed_pk:
            return TemplateResponse(request, frame, page.get_context(request))
        return serve(page, request, *args, **kwargs)

    Page.serve = serve_in_frame
    return pages[BARE_SLUG].url, pages[FRAME_SLUG].url


BARE_ADMIN_PATH = "/admin/bench-bare/"


def bare_admin_page() -> str:
    """An admin page with nothing on it: Wagtail's admin frame (sidebar, header, breadcrumbs)
    drawn by Wagtail's generic view, to tell what the admin costs every admin page."""
    from django.urls import clear_url_caches, path
    from django.views.generic import TemplateView
    from wagtail.admin.auth import require_admin_access
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

    import portal.urls

    class BareAdminView(WagtailAdminTemplateMixin, TemplateView):
        page_title = "Bench bare admin page"

    portal.urls.urlpatterns.insert(
        0, path(BARE_ADMIN_PATH.strip("/") + "/", require_admin_access(BareAdminView.as_view()))
    )
    clear_url_caches()
    return BARE_ADMIN_PATH


def measure(pages: list[tuple], *, runs: int) -> list[tuple[str, float, int]]:
    """(page, median ms, queries) for each page, asked in turns `runs` times after a warm-up.

    A page is (name, client, path), or (name, client, path, before): `before()` is called,
    untimed, before each request of it (to change something the page shows, say)."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def nothing():
        pass

    pages = [(*page, nothing) if len(page) == 3 else page for page in pages]
    queries = {}
    for name, client, path, before in pages:
        before()
        timed_get(client, path)  # warm: caches, renditions, the connection
        before()
        with CaptureQueriesContext(connection) as captured:
            timed_get(client, path)
        queries[name] = len(captured)
    times: dict[str, list[float]] = {name: [] for name, *_rest in pages}
    for _ in range(runs):
        for name, client, path, before in pages:
            before()
            elapsed, _response = timed_get(client, path)
            times[name].append(elapsed)
    return [(name, statistics.median(times[name]), queries[name]) for name, *_rest in pages]
