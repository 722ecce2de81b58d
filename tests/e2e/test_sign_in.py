import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_new_hire_signs_in_sees_home_and_switches_to_korean(live_server, page, new_hire):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url

    page.fill("input[name=login]", new_hire.email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("main form button[type=submit]")

    page.wait_for_selector("h1")
    assert page.url == live_server.url + "/"
    assert "New Hire" in page.inner_text("h1")
    assert page.is_visible("text=My onboarding")
    assert page.is_visible("text=No customer voice has been shared today.")

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

    page.select_option("#language-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.is_visible("text=Sign out")


def _language_labels(page) -> list[str]:
    return [label.strip() for label in page.locator("#language-select option").all_inner_texts()]
