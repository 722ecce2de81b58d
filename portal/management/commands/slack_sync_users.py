from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.services.slack_members import slack_members_sync
from portal.slack.client import SlackError, slack_client, slack_is_live


class Command(BaseCommand):
    help = (
        "Link every Slack member to the portal person with the same email (one users.list call "
        "per 1,000 members), and report who could not be matched."
    )

    def handle(self, *args, **options):
        if not slack_is_live():
            raise CommandError(_("Set SLACK_BOT_TOKEN first: the portal is in preview mode."))
        try:
            report = slack_members_sync(client=slack_client())
        except SlackError as error:
            needs = f" (the app needs the {error.needed} scope)" if error.needed else ""
            raise CommandError(f"Slack refused users.list: {error.reason}{needs}") from error
        out = self.stdout
        out.write(
            _(
                "Linked %(linked)d people; %(already)d were linked already "
                "(%(calls)d users.list calls)."
            )
            % {"linked": len(report.linked), "already": report.already, "calls": report.calls}
        )
        for person, member in report.linked:
            out.write(f"  + {person.email} → {member}")
        if report.unmatched:
            out.write(
                _("Slack members with no portal account to match (%(count)d):")
                % {"count": len(report.unmatched)}
            )
            no_email = _("no email")
            for member, name, email in report.unmatched:
                out.write(f"  ? {member} {name} <{email or no_email}>")
        if report.without_slack:
            out.write(
                _("Portal people with no Slack member ID (%(count)d):")
                % {"count": len(report.without_slack)}
            )
            for person in report.without_slack:
                out.write(f"  - {person.email}")
