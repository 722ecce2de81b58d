import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import Env, socialaccount_providers


def test_bool_reads_common_spellings_and_rejects_nonsense():
    env = Env({"A": "1", "B": "off", "C": "maybe"})
    assert env.bool("A") is True
    assert env.bool("B") is False
    assert env.bool("MISSING", True) is True
    with pytest.raises(ImproperlyConfigured, match="C must be a boolean"):
        env.bool("C")


def test_int_and_list():
    env = Env({"N": "42", "BAD": "x", "HOSTS": " a.example , b.example ,"})
    assert env.int("N", 1) == 42
    assert env.int("MISSING", 7) == 7
    with pytest.raises(ImproperlyConfigured):
        env.int("BAD", 1)
    assert env.list("HOSTS") == ["a.example", "b.example"]


def test_no_identity_providers_without_credentials():
    assert socialaccount_providers(Env({})) == {}


def test_identity_providers_are_switched_on_by_settings_alone():
    env = Env(
        {
            "OIDC_OKTA_CLIENT_ID": "okta-id",
            "OIDC_OKTA_SECRET": "okta-secret",
            "OIDC_OKTA_SERVER_URL": "https://acme.okta.com",
            "OIDC_ENTRA_CLIENT_ID": "entra-id",
            "OIDC_ENTRA_SECRET": "entra-secret",
            "OIDC_ENTRA_SERVER_URL": "https://login.microsoftonline.com/tenant/v2.0",
            "OIDC_GOOGLE_CLIENT_ID": "google-id",
            "OIDC_GOOGLE_SECRET": "google-secret",
            "SLACK_CLIENT_ID": "slack-id",
            "SLACK_CLIENT_SECRET": "slack-secret",
        }
    )
    providers = socialaccount_providers(env)
    apps = {app["provider_id"]: app for app in providers["openid_connect"]["APPS"]}
    assert set(apps) == {"okta", "entra", "google"}
    assert apps["okta"]["settings"]["server_url"] == "https://acme.okta.com"
    assert apps["google"]["settings"]["server_url"] == "https://accounts.google.com"
    assert apps["entra"]["secret"] == "entra-secret"
    assert providers["slack"]["APPS"] == [{"client_id": "slack-id", "secret": "slack-secret"}]


def test_an_identity_provider_without_its_issuer_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="OIDC_OKTA_SERVER_URL"):
        socialaccount_providers(Env({"OIDC_OKTA_CLIENT_ID": "x"}))
