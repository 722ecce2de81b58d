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

    page.select_option("#language-select", "ko")
    page.click("form.language button")
    page.wait_for_selector("html[lang=ko]")
    assert page.is_visible("text=내 온보딩")
    assert page.is_visible("text=로그아웃")

    page.reload()
    assert page.get_attribute("html", "lang") == "ko"
