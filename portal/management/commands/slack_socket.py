"""Serve the Slack app over Socket Mode: for a portal that Slack cannot reach over HTTPS."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from slack_bolt.adapter.socket_mode import SocketModeHandler

from portal.slack.app import bolt_app
from portal.slack.client import slack_is_live


class Command(BaseCommand):
    help = (
        "Run the portal's Slack app over Socket Mode with SLACK_APP_TOKEN (an app-level token "
        "with connections:write): the same listeners as POST /slack/events, no public URL."
    )

    def handle(self, *args, **options):
        if not settings.SLACK_APP_TOKEN:
            raise CommandError(_("Set SLACK_APP_TOKEN (an app-level token, xapp-…) first."))
        if not slack_is_live():
            raise CommandError(_("Set SLACK_BOT_TOKEN first: the portal is in preview mode."))
        handler = SocketModeHandler(bolt_app(), app_token=settings.SLACK_APP_TOKEN)
        self.stdout.write(_("Connecting to Slack over Socket Mode. Ctrl-C stops."))
        handler.start()  # blocks; reconnects by itself when Slack drops the connection
