"""Fixtures every test may use: the named personas, a Slack fake, and the integration gate."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from portal import groups
from tests.factories import DepartmentFactory, UserFactory
from tests.services_probe import CI

PASSWORD = "correct horse battery"


def pytest_collection_modifyitems(config, items):
    if settings.INTEGRATION_SERVICES:
        return
    reason = "needs PostgreSQL and Redis (set CI=true to require them)"
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


_skipped_integration: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "integration" in report.keywords:
        _skipped_integration.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # Under CI an integration test that did not run is a failure, whatever skipped it.
    if CI and _skipped_integration:
        session.exitstatus = 1
        print(f"\nCI=true but integration tests were skipped: {_skipped_integration}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Redis outlives the test's transaction: rate-limit counts must not leak between tests;
    nor may drawn fragments, whose keys name rows the next test makes again with the same ids."""
    from portal import fragments

    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache

        cache.clear()
    fragments.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request leaves its language active in the thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Customer Support", slug="support", timezone="Asia/Seoul")


def _persona(email: str, group: str | None, department):
    return UserFactory(
        email=email,
        first_name=email.split("@")[0].replace("_", " ").title(),
        groups=[group] if group else [],
        department=department,
    )


@pytest.fixture
def new_hire(db, department):
    """Started this month: reads, acknowledges, takes onboarding; no admin."""
    return _persona("new_hire@example.com", groups.NEW_HIRES, department)


@pytest.fixture
def ambassador(db, department):
    """Files stories and concerns for their department; no admin."""
    return _persona("ambassador@example.com", groups.AMBASSADORS, department)


@pytest.fixture
def cx_lead(db, department):
    """Triages and moderates; in the admin, sees and retries the Slack outbox."""
    return _persona("cx_lead@example.com", groups.CX_TEAM, department)


@pytest.fixture
def leader(db, department):
    """Publishes pages and the portal's settings; cannot touch the outbox."""
    return _persona("leader@example.com", groups.LEADERSHIP, department)


@pytest.fixture
def hr(db, department):
    """Manages people and their profiles; cannot touch the outbox."""
    return _persona("hr@example.com", groups.HR, department)


@pytest.fixture
def administrator(db):
    """A superuser: everything, including granting admin powers and setting passwords."""
    user = _persona("administrator@example.com", None, None)
    user.is_superuser = True
    user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@pytest.fixture
def outsider(db):
    """Signed in but in no group and no department: the portal's plain pages only."""
    return _persona("outsider@example.com", None, None)


@pytest.fixture
def slack_fake():
    from tests.slack_fake import SlackFake

    with SlackFake() as fake:
        yield fake


@pytest.fixture
def slack_live(settings, slack_fake):
    """Slack switched on and pointed at the local fake."""
    settings.SLACK_BOT_TOKEN = "xoxb-test-token"
    settings.SLACK_SIGNING_SECRET = "test-signing-secret"
    settings.SLACK_API_URL = slack_fake.url
    return slack_fake


@pytest.fixture
def eager_tasks():
    """Celery tasks run where they are sent (on commit, in tests that capture it)."""
    from portal.celery import app

    was = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = was


class KeptLookups:
    """portal/lookups.py keeping values (see `kept_lookups`), and a way to commit."""

    def __init__(self, cache):
        self.cache = cache

    def commit(self) -> None:
        """What the lookups do when the test's transaction commits (it never does): renew
        what it changed, so values read from now on are kept."""
        from django.db import connection

        from portal import lookups

        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, lookups._Renewal) and not callback.done:
                callback()


@pytest.fixture
def kept_lookups(settings):
    """portal/lookups.py keeping values in this process's memory, as it does on Redis,
    wherever the tests run, and with what the fixtures wrote committed."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "lookups": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kept-lookups",
        },
    }
    caches["lookups"].clear()
    kept = KeptLookups(caches["lookups"])
    kept.commit()
    yield kept
    caches["lookups"].clear()
