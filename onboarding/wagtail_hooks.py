from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from wagtail import hooks

from onboarding.selectors import local_today, my_onboarding
from portal.home import HOOK, Item, Section
from portal.principles.selectors import route_path


@hooks.register(HOOK)
def onboarding_section(*, user, profile) -> Section:
    """What is next in each of the person's programmes (one query; two when enrolled)."""
    today = local_today(profile)
    items = []
    for programme in my_onboarding(user=user):
        upcoming = programme.next_due()
        if upcoming is None or upcoming.module is None:
            continue
        late = upcoming.due_on < today
        date = formats.date_format(upcoming.due_on, "DATE_FORMAT")
        items.append(
            Item(
                text=upcoming.module.title,
                url=route_path(upcoming.module),
                badge=(_("Overdue since %(date)s") if late else _("Due %(date)s")) % {"date": date},
                tone="warning" if late else "info",
                detail=_("%(done)s of %(total)s modules done")
                % {"done": programme.done, "total": programme.total},
                slack_action_id="portal_open_link:onboarding",
                slack_label=_("Continue: %(title)s") % {"title": upcoming.module.title},
            )
        )
    return Section(
        key="onboarding",
        title=_("My onboarding"),
        items=items,
        empty=_("You have no onboarding modules to take."),
        order=20,
    )
