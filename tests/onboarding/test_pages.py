"""Onboarding pages: "My onboarding" shows the reader's own programmes and where they stand."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from onboarding.services import onboarding_enrol
from portal.models import Profile
from tests.onboarding.helpers import module, onboarding_index, programme

pytestmark = pytest.mark.django_db


def test_my_onboarding_shows_my_progress_and_what_is_overdue(client, new_hire, ambassador):
    genesis = programme()
    history = module(genesis, "Our history", due_day=1)
    module(genesis, "Systemic or individual", due_day=60)
    Profile.objects.filter(user=new_hire).update(
        start_date=timezone.localdate() - datetime.timedelta(days=10)
    )
    enrolment = onboarding_enrol(user=new_hire, programme=genesis)
    enrolment.modules.filter(module=history).update(completed_at=timezone.now())
    url = onboarding_index().url
    client.force_login(new_hire)
    html = client.get(url).content.decode()
    assert "Genesis" in html and "Our history" in html and "Systemic or individual" in html
    assert 'value="1" max="2"' in html
    assert "Done" in html and "Due " in html
    client.force_login(ambassador)  # not enrolled: sees nobody else's progress
    html = client.get(url).content.decode()
    assert "Our history" not in html
    assert "You have no onboarding modules to take." in html


def test_a_module_page_shows_its_lessons(client, new_hire):
    genesis = programme()
    page = module(
        genesis,
        "Our history",
        body=[{"type": "paragraph", "value": "<p>We began with one customer.</p>"}],
    )
    client.force_login(new_hire)
    assert "We began with one customer." in client.get(page.url).content.decode()
    client.logout()
    assert client.get(page.url).status_code == 302


def test_the_home_page_shows_what_is_next_in_each_programme(client, new_hire):
    genesis = programme()
    first = module(genesis, "Our history", due_day=1)
    module(genesis, "The guarantee", due_day=2)
    Profile.objects.filter(user=new_hire).update(
        start_date=timezone.localdate() - datetime.timedelta(days=14)
    )
    enrolment = onboarding_enrol(user=new_hire, programme=genesis)
    enrolment.modules.filter(module=first).update(completed_at=timezone.now())
    client.force_login(new_hire)
    html = client.get("/").content.decode()
    assert "The guarantee" in html and "Overdue since" in html
    assert "1 of 2 modules done" in html


@pytest.mark.parametrize("modules", [2, 9])
def test_the_home_place_costs_two_queries_whatever_the_modules(
    new_hire, django_assert_max_num_queries, modules
):
    from onboarding.wagtail_hooks import onboarding_section

    genesis = programme()
    for n in range(modules):
        module(genesis, f"Module {n}", due_day=n + 1)
    onboarding_enrol(user=new_hire, programme=genesis)
    profile = Profile.objects.select_related("department").get(user=new_hire)
    with django_assert_max_num_queries(2):
        section = onboarding_section(user=new_hire, profile=profile)
    assert [item.text for item in section.items] == ["Module 0"]


def test_the_slack_app_home_has_a_button_to_continue(new_hire):
    from portal.slack.home import home_view

    genesis = programme()
    module(genesis, "Our history", due_day=1)
    onboarding_enrol(user=new_hire, programme=genesis)
    buttons = [
        element
        for block in home_view(user=new_hire)["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    [button] = [b for b in buttons if b["action_id"].startswith("portal_open_link:onboarding")]
    assert button["url"].endswith("/onboarding/genesis/our-history/")
    assert "Our history" in button["text"]["text"]


def test_my_onboarding_costs_the_same_queries_for_more_programmes_and_modules(client, new_hire):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(new_hire)
    first = programme("First")
    module(first, "One")
    onboarding_enrol(user=new_hire, programme=first)
    client.get("/onboarding/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/onboarding/").status_code == 200
    for number in range(2, 4):
        more = programme(f"Programme {number}")
        for step in range(4):
            module(more, f"Step {number}-{step}")
        onboarding_enrol(user=new_hire, programme=more)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/onboarding/")
    assert response.content.count(b'class="badge') >= 9
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]


def test_a_modules_badge_says_where_it_stands_in_the_readers_language():
    from types import SimpleNamespace

    from django.utils import translation

    from onboarding.selectors import module_state

    today = datetime.date(2026, 3, 10)

    def row(**state):
        return SimpleNamespace(
            **{"completed_at": None, "excused_at": None, "due_on": today, **state}
        )

    with translation.override("en"):
        assert module_state(row(completed_at=timezone.now()), today=today) == ("Done", "success")
        assert module_state(row(excused_at=timezone.now()), today=today) == ("Excused", "info")
        late = row(due_on=datetime.date(2026, 3, 9))
        assert module_state(late, today=today) == ("Overdue since March 9, 2026", "warning")
        assert module_state(row(), today=today) == ("Due March 10, 2026", "info")
    with translation.override("ko"):
        assert module_state(late, today=today) == ("2026년 3월 9일부터 기한 지남", "warning")
