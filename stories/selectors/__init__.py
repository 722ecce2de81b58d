"""Reads for pages, admin and Slack (one module per concept)."""
