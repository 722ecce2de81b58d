"""Both languages: each person reads their own, else the default's; a translation must be one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from portal.middleware import SESSION_LANGUAGE_KEY
from portal.principles.models import Acknowledgement, Principle
from tests.portal.principles.helpers import principle, translate

pytestmark = pytest.mark.django_db

URL = "/principles/help-clients-succeed/"
KO_STATEMENT = "우리는 고객의 성공으로 우리를 평가합니다."


def speaks(client, user, language: str) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_LANGUAGE_KEY] = language
    session.save()


def test_a_korean_reader_sees_the_korean_page_when_it_is_live(client, new_hire):
    page = principle()
    translate(page, title="고객의 성공을 돕는다", statement=KO_STATEMENT)
    speaks(client, new_hire, "ko")
    html = client.get(URL).content.decode()
    assert KO_STATEMENT in html and 'lang="ko"' in html
    assert "clients&#x27; success" not in html
    speaks(client, new_hire, "en")
    assert "clients&#x27; success" in client.get(URL).content.decode()


def test_the_default_language_stands_in_for_a_missing_or_draft_translation(client, new_hire):
    page = principle()
    speaks(client, new_hire, "ko")
    missing = client.get(URL)
    assert missing.status_code == 200
    assert "clients&#x27; success" in missing.content.decode()
    translate(page, title="고객의 성공을 돕는다", statement=KO_STATEMENT, publish=False)
    draft = client.get(URL).content.decode()
    assert KO_STATEMENT not in draft and "clients&#x27; success" in draft
    # The index, too, lists it in English.
    assert "Help clients succeed" in client.get("/principles/").content.decode()


def test_acknowledging_in_korean_counts_for_the_principle(client, new_hire):
    page = principle()
    translate(page, title="고객의 성공을 돕는다", statement=KO_STATEMENT)
    speaks(client, new_hire, "ko")
    assert client.post(URL, {"version": 1}).status_code == 302
    state = Principle.objects.get(translation_key=page.translation_key)
    assert Acknowledgement.objects.get(principle=state, user=new_hire).acknowledged_at


def _edit_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "statement": page.statement,
        "why_it_matters": page.why_it_matters,
        "body": streamfield([]),
        "question": streamfield([]),
        "audience_everyone": "on",
        "material_change": "",
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data(data)


def test_a_translation_cannot_be_published_in_the_source_words(client, leader):
    page = principle()
    korean = translate(page, publish=False, title="고객의 성공을 돕는다")
    client.force_login(leader)
    url = reverse("wagtailadmin_pages:edit", args=[korean.pk])
    refused = client.post(url, _edit_data(korean))
    assert refused.status_code == 200
    assert "This is still the statement of the English page" in refused.content.decode()
    korean.refresh_from_db()
    assert not korean.live
    empty = client.post(url, _edit_data(korean, statement=""))
    assert empty.status_code == 200 and not type(korean).objects.get(pk=korean.pk).live
    published = client.post(url, _edit_data(korean, statement=KO_STATEMENT))
    assert published.status_code == 302
    korean.refresh_from_db()
    assert korean.live and korean.statement == KO_STATEMENT


def test_a_principle_needs_an_audience(client, leader):
    page = principle(publish=False)
    client.force_login(leader)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    refused = client.post(url, _edit_data(page, audience_everyone=""))
    assert refused.status_code == 200
    assert "choose at least one department or group" in refused.content.decode()
    page.refresh_from_db()
    assert not page.live
