"""The company's CX principles: pages published by Leadership, acknowledged by everyone.

pages.py holds the Wagtail pages, models.py what the portal keeps about them (each principle's
current version, its releases, who acknowledged which version), services.py the writes,
selectors.py the reads, reminders.py who is told what and when.
"""
