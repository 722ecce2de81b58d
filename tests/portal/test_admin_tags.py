"""The admin sidebar kept in the shared cache: the same as Wagtail draws it, and drawn anew
when the person's rights change."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import translation
from wagtail.admin.templatetags import wagtailadmin_tags as wagtail_tags

from portal import groups
from portal.admin_tags import WAGTAIL_SIDEBAR_PROPS, sidebar_props

pytestmark = pytest.mark.django_db


def _props(user, *, ours=True) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    request.COOKIES = {}
    draw = sidebar_props if ours else WAGTAIL_SIDEBAR_PROPS
    return str(draw({"request": request}))


def _labels(props: str) -> set[str]:
    data = json.loads(re.search(r">(.*)</script>", props, re.S).group(1))
    return set(re.findall(r'"label": "([^"]+)"', json.dumps(data)))


def test_the_sidebar_is_wagtails_and_follows_the_persons_rights(hr):
    first = _props(hr)
    assert first == _props(hr, ours=False)
    assert _props(hr) == first  # kept
    assert "Slack outbox" not in _labels(first)
    hr.groups.add(Group.objects.get(name=groups.CX_TEAM))
    hr = type(hr).objects.get(pk=hr.pk)
    again = _props(hr)
    assert "Slack outbox" in _labels(again)
    assert again == _props(hr, ours=False)


def test_the_sidebar_speaks_the_readers_language(hr):
    english = _props(hr)
    with translation.override("ko"):
        korean = _props(hr)
    assert korean != english
    assert "Reports" in _labels(english) and "Reports" not in _labels(korean)


def test_admin_templates_draw_the_kept_sidebar():
    from django.template import engines

    library = engines["django"].engine.template_libraries["wagtailadmin_tags"]
    assert library is wagtail_tags.register  # Wagtail's own library, one tag in it replaced
    assert library.tags["sidebar_props"].__wrapped__ is sidebar_props


def _dialog(user, *, agent="Mozilla/5.0 (X11; Linux x86_64)", ours=True) -> str:
    from django.template.loader import get_template

    from portal.admin_tags import SHORTCUTS_TEMPLATE, WAGTAIL_SHORTCUTS, keyboard_shortcuts_dialog

    request = RequestFactory().get("/admin/", HTTP_USER_AGENT=agent)
    request.user = user
    if ours:
        return str(keyboard_shortcuts_dialog({"request": request}))
    return get_template(SHORTCUTS_TEMPLATE).render(WAGTAIL_SHORTCUTS({"request": request}))


def test_the_keyboard_shortcuts_dialog_is_wagtails_for_each_kind_of_reader(hr):
    from wagtail.users.models import UserProfile

    for agent in ("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X)"):
        assert _dialog(hr, agent=agent) == _dialog(hr, agent=agent, ours=False)
    assert "⌘" in _dialog(hr, agent="Mozilla/5.0 (Macintosh)")
    assert "⌘" not in _dialog(hr)
    with translation.override("ko"):
        korean = _dialog(hr)
        assert korean == _dialog(hr, ours=False)
    assert korean != _dialog(hr)
    profile = UserProfile.get_for_user(hr)
    profile.keyboard_shortcuts = False
    profile.save()
    hr = type(hr).objects.get(pk=hr.pk)
    assert "currently disabled" in _dialog(hr) and _dialog(hr) == _dialog(hr, ours=False)


def test_admin_templates_draw_the_kept_dialog():
    from django.template import engines

    from portal.admin_tags import keyboard_shortcuts_dialog

    library = engines["django"].engine.template_libraries["wagtailadmin_tags"]
    assert library.tags["keyboard_shortcuts_dialog"].__wrapped__ is keyboard_shortcuts_dialog


def _filters_drawn(filters, *, ours=True) -> str:
    from django.template import Context

    from portal.templatetags.portal_admin import WAGTAIL_FILTERS, admin_filters, wagtails_template

    context = Context({})
    if ours:
        return str(admin_filters(context, filters))
    return wagtails_template(WAGTAIL_FILTERS).render(context.new({"filters": filters}))


def test_kept_filters_are_wagtails_drawing_of_the_same_choices_and_values(hr, department):
    from onboarding.admin_views import LearnerFilterSet
    from onboarding.models import Enrolment
    from portal.templatetags.portal_admin import filters_key
    from tests.factories import DepartmentFactory

    def filters(**data):
        request = RequestFactory().get("/admin/onboarding/learners/", data)
        request.user = hr
        return LearnerFilterSet(data or None, queryset=Enrolment.objects.all(), request=request)

    plain = filters()
    assert "Every department" in _filters_drawn(plain)
    assert _filters_drawn(plain) == _filters_drawn(filters(), ours=False)
    assert filters_key(filters()) == filters_key(plain)  # kept: drawn once
    chosen = filters(department=str(department.pk))
    assert filters_key(chosen) != filters_key(plain)
    assert _filters_drawn(chosen) == _filters_drawn(chosen, ours=False)
    assert f'<option value="{department.pk}" selected>' in _filters_drawn(chosen)
    DepartmentFactory(name="Brand new team", slug="brand-new")
    assert "Brand new team" in _filters_drawn(filters())  # new choices, a new drawing
    with translation.override("ko"):
        assert filters_key(filters()) != filters_key(plain)


def test_filters_with_choices_from_the_database_are_drawn_each_time(hr):
    from portal.principles.admin_views import PrincipleFilterSet
    from portal.principles.models import Acknowledgement
    from portal.templatetags.portal_admin import filters_key

    class Kept(PrincipleFilterSet):
        remember_drawn = True

    request = RequestFactory().get("/admin/")
    request.user = hr
    filters = Kept(None, queryset=Acknowledgement.objects.all(), request=request)
    assert filters_key(filters) is None  # its principles are read when it is drawn
    assert "<select" in _filters_drawn(filters)


def _pagination(number: int, *, query=None, ours=True, paginator_class=None) -> str:
    from django.template import RequestContext
    from wagtail.admin.paginator import WagtailPaginator

    from portal.templatetags.portal_admin import WAGTAIL_PAGINATION, admin_pagination
    from portal.templatetags.portal_admin import wagtails_template as original

    request = RequestFactory().get("/admin/onboarding/learners/", {"p": number, **(query or {})})
    paginator = (paginator_class or WagtailPaginator)(list(range(95)), 10)
    page = paginator.get_page(number)
    context = RequestContext(
        request,
        {
            "items": page,
            "linkurl": "onboarding_learners",
            "elided_page_range": paginator.get_elided_page_range(number, on_each_side=2)
            if paginator_class
            else paginator.get_elided_page_range(number),
        },
    )
    if ours:
        return str(admin_pagination(context))
    return original(WAGTAIL_PAGINATION).render(context)


def test_kept_page_links_are_wagtails_for_each_page_and_query():
    second = _pagination(2)
    assert second == _pagination(2, ours=False)
    assert "Page 2 of 10" in second and "95 items" in second
    assert _pagination(2) == second  # kept
    assert _pagination(3) != second and _pagination(3) == _pagination(3, ours=False)
    filtered = _pagination(2, query={"department": "7"})
    assert "department=7" in filtered and filtered == _pagination(
        2, query={"department": "7"}, ours=False
    )
    with translation.override("ko"):
        korean = _pagination(2)
        assert korean == _pagination(2, ours=False)
    assert korean != second


def test_page_links_of_djangos_own_paginator_are_drawn_as_wagtail_draws_them():
    from django.core.paginator import Paginator  # Wagtail's choosers use it

    drawn = _pagination(4, paginator_class=Paginator)
    assert "Page 4 of 10" in drawn
    assert drawn == _pagination(4, paginator_class=Paginator, ours=False)


def test_wagtails_listings_draw_the_kept_filters_and_page_links():
    from django.template.loader import get_template

    from portal.templatetags.portal_admin import (
        WAGTAIL_FILTERS,
        WAGTAIL_PAGINATION,
        wagtails_template,
    )

    for name, tag in ((WAGTAIL_FILTERS, "admin_filters"), (WAGTAIL_PAGINATION, "admin_pagination")):
        assert tag in get_template(name).template.source  # the project's, in Wagtail's place
        assert "wagtail/admin/templates" in wagtails_template(name).origin.name
