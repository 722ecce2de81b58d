"""Who is who between Slack and the portal: a Slack member ID on a person's profile.

A Slack user is the portal person whose profile holds their member ID. One who is not known yet
is looked up once with `users.info` and matched by the email Slack has for them (the workspace
verifies it), then remembered on the profile; one with no portal account is remembered as such
for an hour, so that every click of theirs does not ask Slack again. `slack_members_sync` links
everyone at once, a page of 1,000 members per `users.list` call: one lookup per person would
take most of an hour for 2,000 people under Slack's rate limits (Tier 4 for users.info).

Calls to Slack happen here, so never in a request Slack waits for: from a task or a command.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from portal.models import Profile, User
from portal.selectors import person_for_slack
from portal.services.organisation import profile_ensure
from portal.slack.client import SlackError

UNMATCHED_FOR = 3600  # seconds a member without a portal account is not looked up again
PAGE = 1000  # users.list's largest page
SLACKBOT = "USLACKBOT"


def _unmatched_key(slack_user_id: str) -> str:
    return f"slack:member:unmatched:{slack_user_id}"


def slack_member_link(*, slack_user_id: str, email: str) -> User | None:
    """Put the member ID on the profile of the one active person with this email.

    None when nobody (or more than one person) has it, or when the ID is already someone
    else's: an ID is never moved from one person to another here (HR does that, deliberately).
    """
    email = (email or "").strip()
    if not slack_user_id or not email:
        return None
    people = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    if len(people) != 1:
        return None
    [person] = people
    with transaction.atomic():
        profile = profile_ensure(user=person)
        if profile.slack_user_id == slack_user_id:
            return person
        if profile.slack_user_id or Profile.objects.filter(slack_user_id=slack_user_id).exists():
            return None
        profile.slack_user_id = slack_user_id
        try:
            with transaction.atomic():
                profile.save(update_fields=["slack_user_id"])
        except IntegrityError:  # linked by another process a moment ago
            return None
    cache.delete(_unmatched_key(slack_user_id))
    return person


def slack_member_find(*, slack_user_id: str, client: WebClient) -> User | None:
    """The portal person this Slack member is, looked up and remembered if need be.

    Raises SlackError when Slack could not be asked (transient: try again later).
    """
    person = person_for_slack(slack_user_id=slack_user_id)
    if person is not None or not slack_user_id or cache.get(_unmatched_key(slack_user_id)):
        return person
    try:
        member = client.users_info(user=slack_user_id)["user"]
    except SlackApiError as error:
        raise SlackError.from_api_error(error) from error
    email = (member.get("profile") or {}).get("email", "")
    person = (
        None
        if _not_a_person(member)
        else slack_member_link(slack_user_id=slack_user_id, email=email)
    )
    if person is None:
        cache.set(_unmatched_key(slack_user_id), True, UNMATCHED_FOR)
    return person


def _not_a_person(member: dict) -> bool:
    return bool(
        member.get("is_bot")
        or member.get("deleted")
        or member.get("is_app_user")
        or member.get("id") == SLACKBOT
    )


@dataclass
class SyncReport:
    linked: list[tuple[User, str]] = field(default_factory=list)
    already: int = 0
    # Slack members with no portal account to link: (member ID, name, email).
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    # Portal people with no Slack member ID after the sync.
    without_slack: list[User] = field(default_factory=list)
    calls: int = 0


def _members(client: WebClient, report: SyncReport) -> Iterator[dict]:
    cursor = None
    while True:
        try:
            page = client.users_list(limit=PAGE, cursor=cursor)
        except SlackApiError as error:
            raise SlackError.from_api_error(error) from error
        report.calls += 1
        yield from page.get("members") or []
        cursor = ((page.get("response_metadata") or {}).get("next_cursor")) or None
        if not cursor:
            return


def slack_members_sync(*, client: WebClient) -> SyncReport:
    """Link every Slack member to the portal person with their email, a page at a time."""
    report = SyncReport()
    known = set(Profile.objects.exclude(slack_user_id="").values_list("slack_user_id", flat=True))
    for member in _members(client, report):
        if _not_a_person(member):
            continue
        slack_user_id = member.get("id", "")
        if slack_user_id in known:
            report.already += 1
            continue
        profile = member.get("profile") or {}
        email = profile.get("email", "")
        person = slack_member_link(slack_user_id=slack_user_id, email=email)
        if person is None:
            name = profile.get("real_name") or member.get("name") or ""
            report.unmatched.append((slack_user_id, name, email))
        else:
            report.linked.append((person, slack_user_id))
    report.without_slack = list(
        User.objects.filter(is_active=True).filter(profile__slack_user_id="").order_by("email")
    )
    return report


def slack_member_introduce(
    *, slack_user_id: str, response_url: str, again: str, client: WebClient
) -> User | None:
    """Find who a Slack member is (looking them up if need be) and tell them, ephemerally
    where they asked: linked, try `again`; or no portal account, and how to get one."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from portal.services.notify import language_of
    from portal.slack.client import respond
    from portal.slack.text import site_url, slack_escape, slack_link

    person = slack_member_find(slack_user_id=slack_user_id, client=client)
    if person is not None:
        with translation.override(language_of(person)):
            text = _(
                "Your Slack account is now linked to the portal as %(name)s. %(again)s again "
                "to go on."
            ) % {"name": slack_escape(str(person)), "again": slack_escape(again)}
    else:
        sign_in = slack_link(site_url(reverse("account_login")), _("the portal"))
        text = _(
            "No portal account has the email address of your Slack account, so nothing was "
            "filed. Ask HR to add you to %(portal)s, or to put your Slack member ID on your "
            "profile."
        ) % {"portal": sign_in}
    if response_url:
        respond(response_url, text)
    return person
