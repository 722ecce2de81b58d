"""Steps several browser tests take the same way."""

from tests.conftest import PASSWORD


def sign_in(page, base: str, user) -> None:
    """Sign in through the sign-in form, as a person would, and land on the home page."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/")
