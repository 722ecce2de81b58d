import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import Profile

pytestmark = pytest.mark.django_db


def test_home_greets_the_person_and_shows_honest_empty_states(client, new_hire):
    client.force_login(new_hire)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "New Hire" in body
    assert "No customer voice has been shared with your department today." in body
    assert "You have no onboarding modules to take." in body
    assert "You have acknowledged every published principle." in body
    assert "No customer success stories have been published yet." in body
    assert "No concerns are open for Customer Support." in body
    assert "Customer for Life" in body


def test_home_tells_a_person_without_department_to_ask_hr(client, outsider):
    client.force_login(outsider)
    body = client.get("/").content.decode()
    assert "You are not in a department yet. Ask HR to add you to one." in body


def test_home_escapes_names(client, new_hire):
    new_hire.first_name = "<script>alert(1)</script>"
    new_hire.save()
    client.force_login(new_hire)
    body = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


EXEMPT = {"/healthz", "/slack/events", "/language/", "/csp-report"}
# Sign-in pages: allauth's, and Wagtail's admin password reset and private-page sign-in.
SIGN_IN_PREFIXES = ("/accounts/", "/admin/password_reset/", "/_util/login/")


def _static_paths(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every URL in the project that has no parameters, to try anonymously."""
    paths = []
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if any(ch in pattern for ch in "<(?[*+"):
            continue
        route = prefix + pattern.lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            paths += _static_paths(entry, route)
        elif isinstance(entry, URLPattern):
            paths.append("/" + route)
    return paths


def test_every_page_but_the_exempt_ones_needs_sign_in(client):
    login = reverse("account_login")
    paths = _static_paths(get_resolver())
    assert "/profile/" in paths
    assert "/admin/" in paths
    checked = 0
    for path in paths:
        if path in EXEMPT or path.startswith(SIGN_IN_PREFIXES):
            continue
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(login), path
        checked += 1
    assert checked > 20
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/", "/healthz"])
def test_exempt_pages_open_without_sign_in(client, path):
    assert client.get(path).status_code == 200


def test_wagtail_admin_sign_in_sends_people_to_the_one_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_slack_events_does_not_ask_for_sign_in(client):
    response = client.post("/slack/events", data="{}", content_type="application/json")
    assert response.status_code == 503
    assert response.json() == {"error": "slack_not_configured"}


def test_language_switch_saves_on_profile_and_turns_pages_korean(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/language/", {"language": "ko", "next": "/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    assert Profile.objects.get(user=new_hire).language == "ko"
    assert new_hire.wagtail_userprofile.preferred_language == "ko"
    body = client.get("/").content.decode()
    assert '<html lang="ko">' in body
    assert "내 온보딩" in body


def test_language_switch_ignores_offsite_next(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/language/", {"language": "ko", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_rejects_unknown_language_with_a_message(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/language/", {"language": "xx", "next": "/profile/"}, follow=True)
    assert Profile.objects.get(user=new_hire).language == "en"
    assert "xx is not a language the portal speaks." in response.content.decode()


def test_anonymous_language_switch_sets_the_cookie(client):
    response = client.post("/language/", {"language": "ko", "next": "/accounts/login/"})
    assert response.cookies["portal_language"].value == "ko"
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="ko">' in body


def test_sign_in_uses_the_language_on_the_profile(client, new_hire):
    Profile.objects.filter(user=new_hire).update(language="ko")
    response = client.post(
        "/accounts/login/",
        {"login": new_hire.email, "password": "correct horse battery"},
        follow=True,
    )
    body = response.content.decode()
    assert '<html lang="ko">' in body
    # allauth's welcome speaks Korean too, and names the person, not their username.
    assert "New Hire Tester" in body
    assert "Successfully signed in" not in body


def test_profile_page_saves_language_and_timezone(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/profile/", {"language": "ko", "timezone": "Europe/London"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=new_hire)
    assert profile.language == "ko"
    assert str(profile.timezone) == "Europe/London"
    assert new_hire.wagtail_userprofile.current_time_zone == "Europe/London"


def test_profile_page_keeps_input_and_explains_bad_timezone(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/profile/", {"language": "ko", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "errorlist" in body
    assert 'value="ko" selected' in body
    assert Profile.objects.get(user=new_hire).language == "en"


def test_wagtail_admin_speaks_the_persons_language(client, cx_lead):
    client.force_login(cx_lead)
    client.post("/language/", {"language": "ko", "next": "/admin/"})
    body = client.get("/admin/").content.decode()
    assert 'lang="ko"' in body
    client.post("/language/", {"language": "en", "next": "/admin/"})
    assert 'lang="en"' in client.get("/admin/").content.decode()


def test_header_shows_the_site_settings(client, new_hire):
    from wagtail.models import Site

    from portal.demo import _mascot
    from portal.models import PortalSettings

    PortalSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "company_name": "Globex <Korea>",
            "programme_name": "Clients First",
            "mascot_name": "Ollie",
            "mascot_image": _mascot(),
        },
    )
    client.force_login(new_hire)
    body = client.get("/").content.decode()
    assert "Clients First" in body
    assert "Globex &lt;Korea&gt;" in body
    assert 'alt="Ollie"' in body
