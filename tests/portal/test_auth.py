import pytest
from allauth.socialaccount.models import SocialApp  # noqa: F401  (the provider app is loaded)

from portal.env import Env, socialaccount_providers

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client, new_hire):
    response = client.post(
        "/accounts/login/", {"login": new_hire.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_keeps_the_email_and_explains(client, new_hire):
    response = client.post("/accounts/login/", {"login": new_hire.email, "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert new_hire.email in body
    assert "The email address and/or password you specified are not correct." in body


def test_self_service_sign_up_is_closed_by_default(client):
    response = client.get("/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode()
    assert "/accounts/signup/" not in client.get("/accounts/login/").content.decode()


def test_sign_in_page_invites_sign_up_when_it_is_open(client, settings):
    settings.ACCOUNT_ALLOW_SIGNUPS = True
    assert "/accounts/signup/" in client.get("/accounts/login/").content.decode()


def test_configured_identity_providers_appear_on_the_sign_in_page(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount_providers(
        Env(
            {
                "OIDC_OKTA_CLIENT_ID": "okta-id",
                "OIDC_OKTA_SECRET": "s",
                "OIDC_OKTA_SERVER_URL": "https://acme.okta.com",
                "SLACK_CLIENT_ID": "slack-id",
                "SLACK_CLIENT_SECRET": "s",
            }
        )
    )
    body = client.get("/accounts/login/").content.decode()
    assert "Okta" in body
    assert "/accounts/oidc/okta/login/" in body
    assert "Slack" in body


def test_sso_sign_up_can_be_narrowed_to_company_domains(rf, settings):
    from types import SimpleNamespace

    from portal.auth import SocialAccountAdapter

    settings.SSO_ALLOWED_EMAIL_DOMAINS = ["acme.example"]
    adapter = SocialAccountAdapter()
    inside = SimpleNamespace(user=SimpleNamespace(email="Kim@acme.example"))
    outside = SimpleNamespace(user=SimpleNamespace(email="kim@gmail.com"))
    assert adapter.is_open_for_signup(rf.get("/"), inside)
    assert not adapter.is_open_for_signup(rf.get("/"), outside)


def test_password_reset_email_speaks_in_the_portals_name(client, new_hire, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": new_hire.email})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.subject.startswith("[Customer for Life] ")
    assert "Hello from Customer for Life!" in message.body
    assert "localhost!" not in message.body
    assert "/accounts/password/reset/key/" in message.body
