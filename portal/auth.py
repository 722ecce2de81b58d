from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from portal import lookups


def portal_site(request) -> SimpleNamespace:
    """The name and host that emails sign with: the programme's, not the request's host.

    Without django.contrib.sites, allauth names the site after the request's host, so a
    password reset arrived as "Hello from localhost".
    """
    from portal.models import PortalSettings

    name = "Customer for Life"
    if request is not None:
        name = PortalSettings.for_request(request).programme_name or name
    return SimpleNamespace(name=name, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People are added by HR or arrive through the company's identity provider.
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = portal_site(allauth_context.request)
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def format_email_subject(self, subject: str) -> str:
        return f"[{portal_site(allauth_context.request).name}] {subject}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # The identity provider decides who works here; an optional domain list narrows it.
        domains = settings.SSO_ALLOWED_EMAIL_DOMAINS
        if not domains:
            return True
        email = (sociallogin.user.email or "").lower()
        return email.rpartition("@")[2] in domains


def user_display(user) -> str:
    """How allauth names a person in its messages: their name, not the generated username."""
    return user.get_full_name() or user.email


# --- permissions and groups, kept in the shared cache (portal/lookups.py) ---------------------

# A person's permissions and groups change when groups, permissions or memberships change.
AUTH_LOOKUP = lookups.register(
    "auth",
    # Profiles too: whose manager someone is makes them a manager (MANAGER_PERMISSIONS).
    models=("auth.Group", "auth.Permission", "contenttypes.ContentType", "portal.Profile"),
    relations=(
        (settings.AUTH_USER_MODEL, "groups"),
        (settings.AUTH_USER_MODEL, "user_permissions"),
        ("auth.Group", "permissions"),
    ),
)


# A manager is nobody's group: whoever is the manager of an active person (Profile.manager)
# opens the admin for the reports about their direct reports that features offer there (the
# onboarding dashboard), and nothing else there.
VIEW_DIRECT_REPORTS = "portal.view_direct_reports"
MANAGER_PERMISSIONS = frozenset({"wagtailadmin.access_admin", VIEW_DIRECT_REPORTS})


# Features name the admin views a manager may open with Wagtail's hook of this name (a
# function returning URL names); the admin's dashboard is always one.
MANAGER_ADMIN_VIEWS_HOOK = "register_manager_admin_views"


def _manages_anyone(user) -> bool:
    from portal.models import Profile

    return Profile.objects.filter(manager=user, user__is_active=True).exists()


def manager_admin_url_names() -> frozenset[str]:
    from wagtail import hooks

    names = {"wagtailadmin_home"}
    for names_of in hooks.get_hooks(MANAGER_ADMIN_VIEWS_HOOK):
        names.update(names_of())
    return frozenset(names)


def _rights(user) -> Rights:
    granted = frozenset(ModelBackend().get_all_permissions(user))
    as_manager = _manages_anyone(user)
    return Rights(
        permissions=granted | (MANAGER_PERMISSIONS if as_manager else frozenset()),
        groups=frozenset(user.groups.values_list("name", flat=True)),
        admin_as_manager_only=as_manager and "wagtailadmin.access_admin" not in granted,
    )


@dataclass(frozen=True)
class Rights:
    """What a person may do (ModelBackend's "app_label.codename" strings) and their groups."""

    permissions: frozenset[str]
    groups: frozenset[str]
    # Opens the admin only as the manager of someone (MANAGER_PERMISSIONS), not by a group.
    admin_as_manager_only: bool = False


def rights_of(user) -> Rights:
    """The person's permissions and group names, kept in the shared cache (portal/lookups.py)
    and remembered on the user object for the request. Call with an active, signed-in user."""
    rights = getattr(user, "_portal_rights", None)
    if rights is None:
        # A superuser holds every permission: the flag is part of what is kept.
        rights = lookups.remembered(
            AUTH_LOOKUP.name,
            f"rights:{user.pk}:{user.is_superuser:d}",
            lambda: _rights(user),
        )
        user._portal_rights = rights
    return rights


class SharedCacheModelBackend(ModelBackend):
    """Django's ModelBackend with each person's permissions kept in the shared cache.

    ModelBackend reads them with two queries on the first check of every request and keeps
    them on the user object (`_perm_cache`) for the rest of it; this keeps them across
    requests and processes, until a group, permission or membership changes. It is first in
    AUTHENTICATION_BACKENDS, so its `_perm_cache` is the one allauth's backend (a
    ModelBackend too) finds when a check falls through to it. Everything else is
    ModelBackend's: inactive people have no rights, object permissions are not handled.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(rights_of(user_obj).permissions)
        return user_obj._perm_cache


def group_names(user) -> frozenset[str]:
    """The names of the person's groups (none when signed out or inactive)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return rights_of(user).groups
