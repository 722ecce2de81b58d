"""Browser tests run against a live server, so their data must be committed: they use
`transaction=True`, which empties the database after each test. `serialized_rollback=True`
(on each module's marker) puts back what the migrations made (the home page, the groups)
before each test, which is why Chromium starts per test, after the database is ready: while
Playwright's event loop runs, Django hands the test another connection object, one that does
not hold the copy to restore from.
"""

import os

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(transactional_db):
    """One Chromium per test: Playwright's event loop must be gone before other tests.

    While it runs, Django sees that loop in this thread and takes the tests' own plain,
    synchronous ORM calls (fixtures, flushes) for async code; the flag says they are not.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            # The connection the test used while the loop ran would outlive it, open, and keep
            # the test database from being dropped at the end.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
