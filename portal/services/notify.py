"""Telling one person something: a Slack DM when the portal knows their member ID, else email."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from portal.models import OutboxMessage, Profile, User
from portal.services.outbox import outbox_enqueue, outbox_enqueue_email


def language_of(user: User) -> str:
    language = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


@contextmanager
def speaking_to(user: User) -> Iterator[None]:
    """Translate what is written inside into the person's own language."""
    with translation.override(language_of(user)):
        yield


def notify_person(
    *,
    user: User,
    key: str,
    compose: Callable[[], tuple[str, str] | tuple[str, str, list[dict]]],
    profile: Profile | None = None,
) -> OutboxMessage | None:
    """Write one message to one person through the outbox, in their language.

    `compose` returns (subject, text): it runs in the person's language, and the text is
    Slack mrkdwn with user input already escaped (portal.slack.text). The key names the
    logical message, so telling someone the same thing twice sends it once. Call inside the
    transaction that made the change. Inactive people and people with neither a Slack member
    ID nor an email address are not told (None). Pass the person's `profile` when it is at
    hand (telling many people) to spare two queries. `compose` may return Block Kit blocks
    as a third item, sent with a Slack message (an email has the text).
    """
    if not user.is_active:
        return None
    if profile is not None:
        slack_user_id, language = profile.slack_user_id, profile.language
    else:
        slack_user_id = (
            Profile.objects.filter(user_id=user.pk).values_list("slack_user_id", flat=True).first()
        )
        language = language_of(user)
    with translation.override(language):
        composed = compose()
    subject, text = composed[0], composed[1]
    blocks = composed[2] if len(composed) > 2 else None
    if slack_user_id:
        return outbox_enqueue(key=key, channel=slack_user_id, text=text, blocks=blocks)
    if user.email:
        from portal.slack.text import slack_to_plain

        return outbox_enqueue_email(
            key=key, to=user.email, subject=subject, text=slack_to_plain(text)
        )
    return None
