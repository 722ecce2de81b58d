"""The portal's settings, with the environment a test run needs chosen first."""

import os
from pathlib import Path

from tests.services_probe import choose_services

_services = choose_services(os.environ)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
# A developer's own Slack credentials never reach the tests; a test that starts the portal in a
# subprocess hands it a token of the fake's through TEST_SLACK_BOT_TOKEN.
os.environ["SLACK_BOT_TOKEN"] = os.environ.get("TEST_SLACK_BOT_TOKEN", "")
os.environ["SLACK_SIGNING_SECRET"] = ""

from portal.settings import *  # noqa: E402, F403

# The demo's feedback file is 15,000 items; tests that load the demo need a few hundred.
DEMO_FEEDBACK_ITEMS = 300

# Hashing passwords at full strength costs a third of a second each; tests make many.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Whether this run has PostgreSQL, Redis and so the integration tests.
INTEGRATION_SERVICES = _services

# A model-free app that comes in through every door the portal offers (tests/door_app).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.door_app"]  # noqa: F405
