"""With DEBUG off, 404, 403 and CSRF failures answer in the portal's look and the visitor's
language, with a way home, for signed-in and signed-out visitors alike."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from portal.models import Profile

pytestmark = pytest.mark.django_db

HOME_LINK = '<a class="home-link" href="/">{}</a>'
HOME = {"en": "Back to the home page", "ko": "홈으로 돌아가기"}


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _assert_portal_page(response, *, status, template, language, heading):
    assert response.status_code == status
    assert template in [t.name for t in response.templates]
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert 'class="site-header"' in body
    assert HOME_LINK.format(HOME[language]) in body
    with translation.override(language):
        assert f"<h1>{translation.gettext(heading)}</h1>" in body
    return body


def _speaking(client, user, language):
    if user is not None:
        Profile.objects.filter(user=user).update(language=language)
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["en", "ko"])
def test_missing_page_for_a_signed_in_person(client, new_hire, language):
    response = _speaking(client, new_hire, language).get("/no-such-page/")
    body = _assert_portal_page(
        response, status=404, template="404.html", language=language, heading="Page not found"
    )
    with translation.override(language):
        assert translation.gettext("My profile") in body  # the signed-in navigation


@pytest.mark.parametrize("language", ["en", "ko"])
def test_missing_page_for_a_signed_out_visitor(client, language):
    # /accounts/email/ is open to everyone and answers 404 (the portal does not offer it).
    response = _speaking(client, None, language).get("/accounts/email/")
    body = _assert_portal_page(
        response, status=404, template="404.html", language=language, heading="Page not found"
    )
    assert 'class="sign-out"' not in body


@pytest.mark.parametrize("language", ["en", "ko"])
def test_forbidden_answers_the_403_page(client, cx_lead, language):
    # Wagtail raises PermissionDenied for a script's request the person may not make.
    response = _speaking(client, cx_lead, language).get(
        "/admin/users/", headers={"x-requested-with": "XMLHttpRequest"}
    )
    _assert_portal_page(
        response, status=403, template="403.html", language=language, heading="No access"
    )


@pytest.mark.parametrize("language", ["en", "ko"])
def test_csrf_failure_answers_the_portal_page(language):
    client = _speaking(Client(enforce_csrf_checks=True), None, language)
    response = client.post("/language/", {"language": "ko", "next": "/"})
    body = _assert_portal_page(
        response,
        status=403,
        template="403_csrf.html",
        language=language,
        heading="The form could not be sent",
    )
    assert "CSRF" not in body  # Django's reason is for developers


def test_csrf_failure_for_a_signed_in_person(new_hire):
    client = _speaking(Client(enforce_csrf_checks=True), new_hire, "en")
    response = client.post("/profile/", {"language": "ko", "timezone": "UTC"})
    body = _assert_portal_page(
        response,
        status=403,
        template="403_csrf.html",
        language="en",
        heading="The form could not be sent",
    )
    assert 'class="sign-out"' in body
