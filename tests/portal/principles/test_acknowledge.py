"""Acknowledging a principle: per version, with its check question, once, in the audience."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.principles.models import Acknowledgement, Principle
from portal.principles.services import principle_acknowledge
from tests.factories import DepartmentFactory
from tests.portal.principles.helpers import principle, republish

pytestmark = pytest.mark.django_db

URL = "/principles/help-clients-succeed/"


def state(page) -> Principle:
    return Principle.objects.get(translation_key=page.translation_key)


def acknowledged(user, page) -> list[int]:
    return list(
        Acknowledgement.objects.filter(
            principle=state(page), user=user, acknowledged_at__isnull=False
        ).values_list("version", flat=True)
    )


def test_the_page_ends_with_the_button_and_posting_it_acknowledges_once(client, new_hire):
    page = principle()
    client.force_login(new_hire)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "We measure ourselves by our clients&#x27;" in html or "clients' success" in html
    assert 'name="version" value="1"' in html
    first = client.post(URL, {"version": 1})
    assert first.status_code == 302 and first["Location"] == URL
    again = client.post(URL, {"version": 1})  # a double click, or the back button
    assert again.status_code == 302
    assert acknowledged(new_hire, page) == [1]
    after = client.get(URL).content.decode()
    assert "You acknowledged this version on" in after
    assert 'name="version"' not in after


def test_the_check_question_must_be_answered_right(client, new_hire):
    page = principle(with_question=True)
    client.force_login(new_hire)
    assert "Who answers a customer" in client.get(URL).content.decode()
    unanswered = client.post(URL, {"version": 1})
    assert unanswered.status_code == 400
    assert "Choose an answer." in unanswered.content.decode()
    wrong = client.post(URL, {"version": 1, "answer": 0})
    assert wrong.status_code == 400
    assert "Read &#x27;Why it matters&#x27; again." in wrong.content.decode()
    assert acknowledged(new_hire, page) == []
    right = client.post(URL, {"version": 1, "answer": 1})
    assert right.status_code == 302
    assert acknowledged(new_hire, page) == [1]


def test_a_material_change_asks_again_and_shows_what_changed(client, new_hire):
    page = principle(statement="We measure ourselves by our clients' success.")
    client.force_login(new_hire)
    client.post(URL, {"version": 1})
    republish(page, material=True, statement="We measure ourselves by our clients' <b>growth</b>.")
    assert state(page).version == 2
    html = client.get(URL).content.decode()
    assert "What changed since you acknowledged it" in html
    assert "<del>success.</del>" in html
    assert "<ins>&lt;b&gt;growth&lt;/b&gt;.</ins>" in html  # escaped, never markup
    # The tab left open on the old version does not count for the new one.
    stale = client.post(URL, {"version": 1})
    assert stale.status_code == 400
    assert "read the new version first" in stale.content.decode()
    assert acknowledged(new_hire, page) == [1]
    client.post(URL, {"version": 2})
    assert sorted(acknowledged(new_hire, page)) == [1, 2]


def test_a_minor_change_keeps_the_acknowledgement(client, new_hire):
    page = principle()
    client.force_login(new_hire)
    client.post(URL, {"version": 1})
    republish(page, material=False, statement="We measure ourselves by our clients’ success.")
    assert state(page).version == 1
    html = client.get(URL).content.decode()
    assert "You acknowledged this version on" in html
    assert "What changed" not in html


def test_a_person_outside_the_audience_is_neither_asked_nor_counted(client, new_hire, outsider):
    sales = DepartmentFactory(name="Sales", slug="sales")
    page = principle(departments=[sales])
    client.force_login(outsider)
    html = client.get(URL).content.decode()
    assert 'name="version"' not in html
    response = client.post(URL, {"version": 1})
    assert response.status_code == 400
    assert acknowledged(outsider, page) == []
    with pytest.raises(ValidationError):
        principle_acknowledge(user=new_hire, principle=state(page), version=1)
    assert not Acknowledgement.objects.filter(user__in=[new_hire, outsider]).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    principle()
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(URL, {"version": 1})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Acknowledgement.objects.exists()


def test_the_index_lists_each_principle_with_the_readers_state(client, new_hire):
    principle()
    principle("Remove the cause", "Fix why it happened, not only what happened.")
    client.force_login(new_hire)
    client.post(URL, {"version": 1})
    html = client.get("/principles/").content.decode()
    assert "Help clients succeed" in html and "Remove the cause" in html
    assert html.count("Acknowledged") >= 1
    assert "To acknowledge" in html
