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
