"""Steps several browser tests take the same way."""

from tests.conftest import PASSWORD


def sign_in(page, base: str, user) -> None:
    """Sign in through the sign-in form, as a person would, and land on the home page."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/")


def signed_in_page(browser, base: str, user, *, language: str = "en"):
    """A page in a browser context of its own, signed in as `user` (close its context after).

    The browser asks for `language`; the portal shows the person's profile language.
    """
    context = browser.new_context(
        locale="ko-KR" if language == "ko" else "en-GB",
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, user)
    return page


def open_action(page, label: str):
    """Open an action's <details> on a concern's page; its form (or its button) is returned."""
    action = page.locator("details.concern-action").filter(
        has=page.locator("summary", has_text=label)
    )
    action.locator("summary").click()
    return action


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def watch_csp(page, into: list) -> None:
    """Collect (url, message) for every Content-Security-Policy violation the page reports."""
    page.on(
        "console",
        lambda message: (
            into.append((page.url, message.text))
            if "Content Security Policy" in message.text
            else None
        ),
    )
