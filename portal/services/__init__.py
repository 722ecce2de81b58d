"""Writes, one module per concept: `organisation` (people) and `outbox` (Slack messages).

Import the module you need: `from portal.services import outbox`.
"""
