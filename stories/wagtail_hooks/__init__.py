"""The stories app's doors, one module per concept; Wagtail imports this package at start-up."""

from stories.wagtail_hooks import concern, feedback, story, triage, voice  # noqa: F401
