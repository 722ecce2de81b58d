from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from wagtail import hooks

from onboarding import admin_hooks  # noqa: F401 (registers the admin's dashboards and actions)
from onboarding.selectors import local_today, module_state, my_onboarding
from portal.home import HOOK, PROFILE_HOOK, Item, Section


@hooks.register(HOOK)
def onboarding_section(*, user, profile) -> Section:
    """What is next in each of the person's programmes (one query; two when enrolled)."""
    today = local_today(profile)
    items = []
    for programme in my_onboarding(user=user):
        upcoming = programme.next_due()
        if upcoming is None or upcoming.title is None:
            continue
        badge, tone = module_state(upcoming, today=today)
        items.append(
            Item(
                text=upcoming.title,
                url=upcoming.url + (f"#block-{upcoming.stopped_at}" if upcoming.stopped_at else ""),
                badge=badge,
                tone=tone,
                detail=_("%(done)s of %(total)s modules done")
                % {"done": programme.done, "total": programme.total},
                slack_action_id="portal_open_link:onboarding",
                slack_label=_("Continue: %(title)s") % {"title": upcoming.title},
            )
        )
    return Section(
        key="onboarding",
        title=_("My onboarding"),
        items=items,
        empty=_("You have no onboarding modules to take."),
        order=20,
    )


@hooks.register(PROFILE_HOOK)
def onboarding_profile_section(*, user, profile) -> Section | None:
    """Each of the person's programmes: a finished one with its certificate, the others how
    far along (one query; two when enrolled). Nothing for someone never enrolled."""
    from django.urls import reverse
    from django.utils import timezone

    programmes = my_onboarding(user=user)
    if not programmes:
        return None
    zone = profile.effective_timezone if profile else timezone.get_default_timezone()
    items = []
    for programme in programmes:
        enrolment = programme.enrolment
        title = programme.title or _("Onboarding programme")
        if enrolment.completed_at is not None:
            date = formats.date_format(
                timezone.localtime(enrolment.completed_at, zone), "DATE_FORMAT"
            )
            items.append(
                Item(
                    text=_("Certificate: %(programme)s") % {"programme": title},
                    url=reverse("onboarding:certificate", args=[enrolment.programme_key]),
                    badge=_("Completed %(date)s") % {"date": date},
                    tone="success",
                )
            )
        else:
            items.append(
                Item(
                    text=title,
                    url=programme.url,
                    badge=_("%(done)s of %(total)s modules done")
                    % {"done": programme.done, "total": programme.total},
                    tone="info",
                )
            )
    return Section(
        key="onboarding",
        title=_("My onboarding"),
        items=items,
        empty=_("You have no onboarding modules to take."),
        order=10,
    )
