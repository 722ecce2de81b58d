"""Writes: the only code that changes stories, concerns and triage (a module per concept)."""
