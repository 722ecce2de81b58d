"""The portal's Slack door: `app` (the Bolt app, which finds every app's `slack.py`),
`client` (the Web API client and its error kinds) and `text` (Slack's text rules).

Nothing is imported here, so that reading `portal.slack.text` does not build Bolt.
"""
