from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People are added by HR or arrive through the company's identity provider.
        return settings.ACCOUNT_ALLOW_SIGNUPS


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
