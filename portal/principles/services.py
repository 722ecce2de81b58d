"""Writes for principles: what a publication records, asks and announces; acknowledging."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Revision, Site

from portal.blocks import stream_text
from portal.models import PortalSettings, User
from portal.principles.blocks import check_question
from portal.principles.messages import announcement
from portal.principles.models import (
    Acknowledgement,
    Principle,
    PrincipleRelease,
    PublicationChoice,
)
from portal.principles.pages import PrinciplePage
from portal.services.notify import notify_person
from portal.services.outbox import outbox_enqueue


def publication_choose(*, revision: Revision, material: bool, user: User | None) -> None:
    """Record the approver's word on a revision before it is published."""
    PublicationChoice.objects.update_or_create(
        revision=revision, defaults={"material": material, "chosen_by": user}
    )


def page_text(page: PrinciplePage) -> str:
    """The words of a page as a reader sees them, for showing what changed."""
    parts = [page.title, page.statement, page.why_it_matters, stream_text(page.body)]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _sync_audience(principle: Principle, page: PrinciplePage) -> None:
    principle.everyone = page.audience_everyone
    principle.save(update_fields=["everyone"])
    principle.departments.set(page.audience_departments.all())
    principle.groups.set(page.audience_groups.all())


def announcement_key(principle: Principle, version: int) -> str:
    return f"principles:announce:{principle.pk}:{version}"


@transaction.atomic
def principle_release_record(*, page: PrinciplePage, revision: Revision | None) -> PrincipleRelease:
    """What a publication of a principle page means; Wagtail's page_published calls this.

    The first publication of a principle, in any language, is version 1. After that a
    release is material when the approver said so (the Leadership approval task), or, when
    a publisher published without the workflow, when the page says so; a material release
    is a new version: everyone in the audience is asked again, and the company channel hears
    of it once. A minor release changes the text and asks nobody.
    """
    principle, _created = Principle.objects.select_for_update().get_or_create(
        translation_key=page.translation_key
    )
    choice = PublicationChoice.objects.filter(revision=revision).first() if revision else None
    if principle.version == 0:
        material = True
    elif choice is not None:
        material = choice.material
    else:
        material = page.material_change
    now = timezone.now()
    if material:
        principle.version += 1
        principle.version_published_at = now
    principle.first_published_at = principle.first_published_at or now
    principle.live = True
    is_default = page.locale_id == Locale.get_default().pk
    if is_default or principle.page_id is None:
        principle.page = page
    principle.save()
    if is_default or _created:
        _sync_audience(principle, page)
    release = PrincipleRelease.objects.create(
        principle=principle,
        page=page,
        revision=revision,
        version=principle.version,
        material=material,
        language=page.locale.language_code,
        title=page.title,
        statement=page.statement,
        text=page_text(page),
        published_at=now,
        # The approver, or whoever saved the revision they published themselves.
        published_by=choice.chosen_by if choice else getattr(revision, "user", None),
    )
    if material:
        _announce(principle, release)
        version = principle.version
        from portal.principles.tasks import principle_ask_task

        transaction.on_commit(lambda: principle_ask_task.delay(principle.pk, version))
    return release


def _announce(principle: Principle, release: PrincipleRelease) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    channel = PortalSettings.for_site(site).company_channel_id if site else ""
    if not channel:
        return
    text, blocks = announcement(release)
    outbox_enqueue(
        key=announcement_key(principle, release.version), channel=channel, text=text, blocks=blocks
    )


def principle_unpublished(*, page: PrinciplePage) -> None:
    """A page was unpublished: the principle stays live while one of its languages is."""
    still_live = PrinciplePage.objects.filter(
        translation_key=page.translation_key, live=True
    ).exists()
    Principle.objects.filter(translation_key=page.translation_key).update(live=still_live)


def principle_for_page(page: PrinciplePage) -> Principle | None:
    return Principle.objects.filter(translation_key=page.translation_key, live=True).first()


@transaction.atomic
def principle_acknowledge(
    *,
    user: User,
    principle: Principle,
    version: int,
    page: PrinciplePage | None = None,
    answer: int | None = None,
) -> Acknowledgement:
    """Acknowledge the version of a principle the person read; twice is once.

    `version` is the one the page showed: after a material change an older one does not
    count. `page` is the language version read, whose check question (if any) must have
    been answered right; from Slack, only principles without one are acknowledged.
    """
    from portal.principles.selectors import in_audience

    principle = Principle.objects.select_for_update().get(pk=principle.pk)
    if not principle.live:
        raise ValidationError(_("This principle is not published any more."))
    if version != principle.version:
        raise ValidationError(
            _("This principle changed while you were reading it: read the new version first.")
        )
    if not in_audience(principle=principle, user=user):
        raise ValidationError(_("This principle does not ask you to acknowledge it."))
    question = check_question(page.question) if page is not None else None
    if page is None:
        page = principle.page
        if page is not None and check_question(page.question):
            raise ValidationError(_("Answer this principle's check question on its page first."))
    if question is not None and answer != question["right"]:
        raise ValidationError(
            question["explanation"] or _("That is not the right answer: read the page again.")
        )
    now = timezone.now()
    ack, _created = Acknowledgement.objects.get_or_create(
        principle=principle, user=user, version=version, defaults={"asked_at": now}
    )
    if ack.acknowledged_at is None:
        ack.acknowledged_at = now
        ack.release = (
            PrincipleRelease.objects.filter(principle=principle, page=page).first()
            if page is not None
            else None
        )
        ack.save(update_fields=["acknowledged_at", "release"])
    return ack


def principle_acknowledge_from_slack(
    *, slack_user_id: str, principle_id: int, version: int, action_ts: str = ""
) -> bool:
    """The acknowledge button in Slack: acknowledge, tell the person, refresh their App Home.

    A principle with a check question is acknowledged on its page only; the person is told
    why, with the link. True when it was acknowledged.
    """
    from portal.principles.selectors import route_path
    from portal.selectors import person_for_slack
    from portal.slack.text import site_url, slack_escape, slack_link

    person = person_for_slack(slack_user_id=slack_user_id)
    principle = Principle.objects.filter(pk=principle_id).select_related("page").first()
    if person is None or principle is None or principle.page is None:
        return False
    # In the person's language: the link's title, and the reason a refusal gives.
    with translation.override(person.profile.language):
        page = principle.page.localized
        link = slack_link(site_url(route_path(page)), page.title)
        try:
            principle_acknowledge(user=person, principle=principle, version=version)
        except ValidationError as error:
            key = f"principles:refused:{principle.pk}:{person.pk}:{action_ts}"
            subject = _("Not acknowledged")
            message = _("%(link)s was not acknowledged: %(reason)s") % {
                "link": link,
                "reason": slack_escape(" ".join(error.messages)),
            }
            done = False
        else:
            key = f"principles:acked:{principle.pk}:{version}:{person.pk}"
            subject = _("Acknowledged")
            message = _("Thank you: you have acknowledged %(link)s.") % {"link": link}
            done = True
    from portal.tasks import slack_home_publish_task

    with transaction.atomic():
        notify_person(
            user=person,
            key=key,
            profile=person.profile,
            compose=lambda: (subject, message),
        )
        if done:
            transaction.on_commit(lambda: slack_home_publish_task.delay(slack_user_id))
    return done
