"""Who is who between Slack and the portal: a member ID on a profile, found by email once, and
everyone linked at once by paging users.list (`manage.py slack_sync_users`)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from portal.models import Profile
from portal.services.slack_members import (
    slack_member_find,
    slack_member_link,
    slack_members_sync,
)
from portal.slack.client import slack_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_is_linked_to_the_one_active_person_with_their_email(new_hire, outsider):
    assert slack_member_link(slack_user_id="U0NEW00001", email="NEW_HIRE@example.com") == new_hire
    assert Profile.objects.get(user=new_hire).slack_user_id == "U0NEW00001"
    # Never moved from one person to another, nor given to someone who has one.
    assert slack_member_link(slack_user_id="U0NEW00001", email=outsider.email) is None
    assert slack_member_link(slack_user_id="U0OTHER001", email=new_hire.email) is None
    assert Profile.objects.get(user=outsider).slack_user_id == ""


def test_nobody_is_linked_without_an_email_or_to_someone_who_left(new_hire):
    assert slack_member_link(slack_user_id="U0NEW00001", email="") is None
    new_hire.is_active = False
    new_hire.save()
    assert slack_member_link(slack_user_id="U0NEW00001", email=new_hire.email) is None


def test_find_asks_slack_once_and_remembers(slack_live, new_hire):
    slack_live.add_member("U0NEW00001", new_hire.email)
    client = slack_client()
    assert slack_member_find(slack_user_id="U0NEW00001", client=client) == new_hire
    assert slack_member_find(slack_user_id="U0NEW00001", client=client) == new_hire
    assert len(slack_live.calls("users.info")) == 1


def test_bots_are_nobody(slack_live, new_hire):
    slack_live.add_member("B0BOT00001", new_hire.email, bot=True)
    assert slack_member_find(slack_user_id="B0BOT00001", client=slack_client()) is None


def test_sync_links_everyone_a_page_of_a_thousand_at_a_time(slack_live, new_hire, hr):
    for n in range(1500):
        slack_live.add_member(f"U{n:09d}", f"someone{n}@elsewhere.example")
    slack_live.add_member("U0NEWHIRE1", new_hire.email)
    slack_live.add_member("U0DELETED1", hr.email, deleted=True)
    slack_live.add_member("U0BOT00001", "bot@example.com", bot=True)
    report = slack_members_sync(client=slack_client())
    assert report.calls == 2 == len(slack_live.calls("users.list"))
    assert all(c.params["limit"] == "1000" for c in slack_live.calls("users.list"))
    assert report.linked == [(new_hire, "U0NEWHIRE1")]
    assert len(report.unmatched) == 1500
    assert hr in report.without_slack and new_hire not in report.without_slack
    again = slack_members_sync(client=slack_client())
    assert again.linked == [] and again.already == 1


def test_the_command_reports_what_it_did(slack_live, new_hire):
    UserFactory(email="nobody-in-slack@example.com")
    slack_live.add_member("U0NEWHIRE1", new_hire.email)
    slack_live.add_member("U0STRANGE1", "stranger@elsewhere.example", name="Stranger Danger")
    out = io.StringIO()
    call_command("slack_sync_users", stdout=out)
    text = out.getvalue()
    assert "Linked 1 people" in text and f"+ {new_hire.email} → U0NEWHIRE1" in text
    assert "? U0STRANGE1 Stranger Danger <stranger@elsewhere.example>" in text
    assert "- nobody-in-slack@example.com" in text


def test_the_command_says_what_slack_refused(slack_live):
    from tests.slack_fake import Scripted

    slack_live.script(
        "users.list",
        Scripted(body={"ok": False, "error": "missing_scope", "needed": "users:read.email"}),
    )
    with pytest.raises(CommandError, match="missing_scope.*users:read.email"):
        call_command("slack_sync_users", stdout=io.StringIO())


def test_the_command_needs_a_bot_token(settings):
    settings.SLACK_BOT_TOKEN = ""
    with pytest.raises(CommandError, match="preview mode"):
        call_command("slack_sync_users", stdout=io.StringIO())
