"""Typed readers for the environment: the one place settings learn about the outside world."""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def str(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default).strip()

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")

    def int(self, name: str, default: int) -> int:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return list(default or [])
        return [item.strip() for item in raw.split(",") if item.strip()]


# Identity providers that "Sign in with …" can use by settings alone. Each is allauth's generic
# OpenID Connect provider with a fixed issuer, or an issuer read from the environment.
OIDC_PROVIDERS = {
    "okta": {"name": "Okta", "server_url_env": "OIDC_OKTA_SERVER_URL"},
    "entra": {"name": "Microsoft Entra ID", "server_url_env": "OIDC_ENTRA_SERVER_URL"},
    "google": {"name": "Google", "server_url": "https://accounts.google.com"},
}


def socialaccount_providers(env: Env) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for every identity provider whose credentials are set."""
    oidc_apps = []
    for provider_id, spec in OIDC_PROVIDERS.items():
        prefix = f"OIDC_{provider_id.upper()}_"
        client_id = env.str(prefix + "CLIENT_ID")
        if not client_id:
            continue
        server_url = spec.get("server_url") or env.str(spec["server_url_env"])
        if not server_url:
            raise ImproperlyConfigured(
                f"{spec['server_url_env']} is required with {prefix}CLIENT_ID"
            )
        oidc_apps.append(
            {
                "provider_id": provider_id,
                "name": spec["name"],
                "client_id": client_id,
                "secret": env.str(prefix + "SECRET"),
                "settings": {"server_url": server_url},
            }
        )
    providers: dict = {}
    if oidc_apps:
        providers["openid_connect"] = {"APPS": oidc_apps, "OAUTH_PKCE_ENABLED": True}
    slack_client_id = env.str("SLACK_CLIENT_ID")
    if slack_client_id:
        providers["slack"] = {
            "APPS": [{"client_id": slack_client_id, "secret": env.str("SLACK_CLIENT_SECRET")}]
        }
    return providers


# Backends Django ships, by URL scheme. Per-process memory (locmem) is left out on purpose:
# rate limits kept there would count each worker on its own and forget on restart.
_CACHE_BACKENDS = {
    "redis": "portal.cache.RedisCache",
    "rediss": "portal.cache.RedisCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
}


def cache_from_url(url: str, *, timeout: int = 2) -> dict:
    """One entry of Django's CACHES from `redis://host:port/db` or `db://table_name`.

    A Redis that accepts connections and never answers must not hang sign-in, so its socket
    waits are bounded by `timeout` seconds.
    """
    scheme, sep, rest = url.partition("://")
    backend = _CACHE_BACKENDS.get(scheme.lower()) if sep else None
    if backend is None:
        raise ImproperlyConfigured(
            f"CACHE_URL must be redis://…, rediss://… or db://table_name, not {url!r}"
        )
    if scheme.lower() == "db":
        table = rest.strip("/")
        if not table.isidentifier():
            raise ImproperlyConfigured(
                f"CACHE_URL needs a table name, as db://portal_cache: {url!r}"
            )
        return {"BACKEND": backend, "LOCATION": table}
    return {
        "BACKEND": backend,
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }
