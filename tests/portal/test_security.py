"""The holes the probe found stay closed: one sign-in, shared rate limits, headers, identity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from portal.env import cache_from_url
from tests.conftest import PASSWORD
from tests.url_patterns import all_routes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


# One way to sign in --------------------------------------------------------------------------


def _concrete(url: str) -> str | None:
    """A path for a URL pattern, with 1 for each parameter; None for regex patterns."""
    if any(c in url for c in "^$("):
        return None
    parts = []
    for piece in url.split("/"):
        parts.append("1" if piece.startswith("<") else piece)
    return "/" + "/".join(parts)


def test_no_url_but_allauths_signs_anyone_in(client, administrator):
    credentials = {
        "username": administrator.username,
        "login": administrator.email,
        "email": administrator.email,
        "password": PASSWORD,
    }
    client.raise_request_exception = False
    signed_in_by = []
    for url in sorted(set(all_routes())):
        path = _concrete(url)
        if path is None:
            continue
        client.post(path, credentials)
        if "_auth_user_id" in client.session:
            signed_in_by.append(path)
        client.logout()
    assert signed_in_by == ["/accounts/login/"]


@pytest.mark.parametrize("path", ["/_util/login/", "/admin/login/"])
def test_wagtails_sign_in_pages_lead_to_the_single_sign_in(client, path):
    response = client.get(path + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_wagtails_password_reset_is_not_offered(client, new_hire):
    client.force_login(new_hire)
    assert client.get("/admin/password_reset/").status_code == 404


# Shared rate limits --------------------------------------------------------------------------


def test_the_cache_is_shared_between_processes(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {"portal.cache.RedisCache", "django.core.cache.backends.db.DatabaseCache"}
    # A second connection, as another worker would open, sees what this one wrote.
    caches["default"].set("shared-probe", "seen", 30)
    assert caches.create_connection("default").get("shared-probe") == "seen"


def test_cache_url_reads_redis_and_the_database_and_refuses_process_memory():
    redis = cache_from_url("redis://cache:6379/2")
    assert redis["BACKEND"] == "portal.cache.RedisCache"
    assert redis["LOCATION"] == "redis://cache:6379/2"
    assert redis["OPTIONS"]["socket_timeout"] == 2
    assert cache_from_url("db://portal_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }
    for bad in ("locmem://", "memcached://x", "portal_cache", "db://"):
        with pytest.raises(ImproperlyConfigured):
            cache_from_url(bad)


def _sign_in(client, email, password, ip):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


class _Clock:
    """allauth's rate limiter reads time.time(); this moves it forward for one module."""

    def __init__(self):
        self.offset = 0.0

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def time(self):
        return time.time() + self.offset


def test_five_wrong_passwords_lock_the_account_for_five_minutes_only(client, new_hire, monkeypatch):
    from allauth.core.internal import ratelimit

    clock = _Clock()
    monkeypatch.setattr(ratelimit, "time", clock)
    for _ in range(5):
        assert _sign_in(client, new_hire.email, "wrong", "203.0.113.7").status_code == 200
    # The real person, from another address and with the right password, waits...
    locked = _sign_in(client, new_hire.email, PASSWORD, "198.51.100.20")
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in locked.content.decode()
    # ...five minutes at most.
    clock.offset = 5 * 60 + 1
    assert _sign_in(client, new_hire.email, PASSWORD, "198.51.100.20").status_code == 302
    assert client.session["_auth_user_id"] == str(new_hire.pk)


def test_wrong_passwords_from_one_address_are_limited_across_accounts(client, new_hire, hr, leader):
    for _ in range(5):
        _sign_in(client, new_hire.email, "wrong", "203.0.113.9")
    for _ in range(5):
        _sign_in(client, hr.email, "wrong", "203.0.113.9")
    blocked = _sign_in(client, leader.email, PASSWORD, "203.0.113.9")
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not held back by that one.
    assert _sign_in(client, leader.email, PASSWORD, "198.51.100.1").status_code == 302


# The work email is the identity ------------------------------------------------------------


def test_people_cannot_change_their_email(client, new_hire):
    client.force_login(new_hire)
    assert client.get("/accounts/email/").status_code == 404
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "mine@elsewhere.example"}
    )
    assert response.status_code == 404
    new_hire.refresh_from_db()
    assert new_hire.email == "new_hire@example.com"


def test_wagtail_account_page_offers_no_email_or_password_change(client, hr):
    client.force_login(hr)
    body = client.get("/admin/account/").content.decode()
    assert 'name="name_email-email"' not in body
    assert 'name="password-new_password1"' not in body


# Sign-in providers that are not configured --------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/slack/login/",
        "/accounts/slack/login/callback/",
        "/accounts/oidc/okta/login/",
        "/accounts/oidc/okta/login/callback/",
    ],
)
def test_an_unconfigured_provider_is_not_found(client, path):
    client.raise_request_exception = False
    assert client.get(path).status_code == 404


def test_no_button_for_an_unconfigured_provider(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    body = client.get("/accounts/login/").content.decode()
    assert "/accounts/slack/login/" not in body
    assert "/accounts/oidc/" not in body


# Headers -----------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy_of_their_own_origin(client, new_hire):
    client.force_login(new_hire)
    for path in ("/", "/accounts/login/", "/admin/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(
            (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";"))
        )
        for name in ("default-src", "script-src", "style-src"):
            assert directives[name] == "'self'", (path, name, policy)
        # Frames: the portal itself, and the video sites an embed block may show.
        assert directives["frame-src"].split() == [
            "'self'",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ]
        assert directives["img-src"] == "'self' data:"
        assert directives["object-src"] == "'none'"
        assert directives["report-uri"] == "/csp-report"


def test_permissions_policy_turns_off_what_the_portal_does_not_use(client):
    header = client.get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header


def test_csp_reports_are_logged_without_sign_in(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://portal.example.com/admin/",
            "violated-directive": "script-src",
            "blocked-uri": "https://evil.example/x.js",
        }
    }
    with caplog.at_level("WARNING", logger="portal.security"):
        response = client.post(
            "/csp-report", data=json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src blocked https://evil.example/x.js on https://portal.example.com/admin/" in (
        caplog.text
    )


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"csp-report": 3}', b"\xff\xfe"])
def test_malformed_csp_reports_are_refused_quietly(client, body):
    response = client.post("/csp-report", data=body, content_type="application/csp-report")
    assert response.status_code == 400


def test_an_oversized_csp_report_is_refused(client):
    response = client.post(
        "/csp-report", data=b"{" + b" " * 20_000 + b"}", content_type="application/csp-report"
    )
    assert response.status_code == 413


def _settings_in_a_new_process(**environ) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SITE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_plain_http_site_url_is_refused_in_production():
    result = _settings_in_a_new_process(
        DEBUG="0", SECRET_KEY="x" * 50, SITE_URL="http://portal.example.com"
    )
    assert result.returncode != 0
    assert "SITE_URL must start with https:// when DEBUG is off" in result.stderr
    ok = _settings_in_a_new_process(
        DEBUG="0", SECRET_KEY="x" * 50, SITE_URL="https://portal.example.com"
    )
    assert ok.returncode == 0, ok.stderr
