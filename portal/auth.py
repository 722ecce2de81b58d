from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


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
