"""A newcomer's first minutes: sign in, the mascot, Korean, and an admin link they may not use."""

import io
from pathlib import Path

import pytest

# Kept after the run (CI keeps var/): what a Korean reader saw, with real Hangul glyphs.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _set_mascot():
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image
    from wagtail.models import Site

    from portal.models import PortalSettings

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 64), (11, 110, 79)).save(buffer, format="PNG")
    image = Image.objects.create(
        title="Ollie", file=ImageFile(buffer, name="ollie.png"), width=64, height=64
    )
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.mascot_image = image
    settings.mascot_name = "Ollie"
    settings.save()


def test_new_hire_signs_in_sees_home_and_switches_to_korean(live_server, page, new_hire):
    _set_mascot()
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    # The mascot greets people before they sign in: its picture loads, not a broken image.
    mascot = page.locator("img.mascot")
    assert mascot.get_attribute("alt") == "Ollie"
    assert mascot.evaluate("img => img.complete && img.naturalWidth > 0")

    page.fill("input[name=login]", new_hire.email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("main form button[type=submit]")

    page.wait_for_selector("h1")
    assert page.url == live_server.url + "/"
    assert "New Hire" in page.inner_text("h1")
    assert page.is_visible("text=My onboarding")
    assert page.is_visible("text=No customer voice has been shared with your department today.")

    # Each language is named in itself, so whoever lands in the wrong one finds theirs.
    assert _language_labels(page) == ["English", "한국어"]
    assert not page.is_visible("form.language button")

    # Choosing is enough: portal.js sends the form, no button to press.
    page.select_option("#language-select", "ko")
    page.wait_for_selector("html[lang=ko]")
    assert page.is_visible("text=내 온보딩")
    assert page.is_visible("text=로그아웃")
    assert _language_labels(page) == ["English", "한국어"]

    page.reload()
    assert page.get_attribute("html", "lang") == "ko"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home-ko.png"), full_page=True)

    # A shared admin link: one clear page, no redirect loop.
    response = page.goto(live_server.url + "/admin/")
    assert response.status == 403
    assert page.get_attribute("html", "lang") == "ko"
    assert page.is_visible("text=관리 화면에 접근할 수 없습니다")
    page.goto(live_server.url + "/")

    page.select_option("#language-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.is_visible("text=Sign out")


def _language_labels(page) -> list[str]:
    return [label.strip() for label in page.locator("#language-select option").all_inner_texts()]
