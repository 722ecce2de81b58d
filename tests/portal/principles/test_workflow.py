"""Publishing through "Leadership approval": the CX team drafts and submits, Leadership
approves and says whether the change is material; scheduled pages go live on the beat."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from portal.models import OutboxMessage, PortalSettings
from portal.principles.models import Acknowledgement, Principle, PrincipleRelease
from portal.principles.pages import LeadershipApprovalTask, PrinciplePage
from portal.principles.tasks import publish_scheduled_task
from tests.portal.principles.helpers import principle

pytestmark = pytest.mark.django_db

COMPANY_CHANNEL = "CCOMPANY01"


@pytest.fixture
def company_channel(db):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.company_channel_id = COMPANY_CHANNEL
    settings.save()


def submitted(cx_lead) -> PrinciplePage:
    page = principle(publish=False, user=cx_lead)
    page.get_workflow().start(page, cx_lead)
    return PrinciplePage.objects.get(pk=page.pk)


def action_url(page: PrinciplePage, action: str) -> str:
    task_state = page.current_workflow_state.current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def test_the_workflow_is_made_by_a_migration_for_every_home_page():
    page = principle(publish=False)
    workflow = page.get_workflow()
    assert workflow.name == "Leadership approval"
    task = workflow.tasks.get().specific
    assert isinstance(task, LeadershipApprovalTask)
    assert [group.name for group in task.groups.all()] == ["Leadership"]


def test_the_cx_team_drafts_but_cannot_publish(cx_lead, leader):
    page = principle(publish=False, user=cx_lead)
    assert page.permissions_for_user(cx_lead).can_edit()
    assert not page.permissions_for_user(cx_lead).can_publish()
    assert page.permissions_for_user(leader).can_publish()


def test_the_cx_team_cannot_approve_its_own_submission(client, cx_lead):
    page = submitted(cx_lead)
    client.force_login(cx_lead)
    response = client.post(action_url(page, "approve_material"), {"comment": ""})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live
    assert not Principle.objects.filter(live=True).exists()


def test_leadership_approves_a_material_change_and_it_is_announced_once(
    client,
    cx_lead,
    leader,
    new_hire,
    company_channel,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    page = submitted(cx_lead)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(page, "approve_material"), {"comment": "Clear and true."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    state = Principle.objects.get(translation_key=page.translation_key)
    assert (state.version, state.live, state.page_id) == (1, True, page.pk)
    release = PrincipleRelease.objects.get(principle=state)
    assert release.material and release.published_by == leader
    announcements = OutboxMessage.objects.filter(channel=COMPANY_CHANNEL)
    assert announcements.count() == 1
    text = announcements.get().text
    assert "Help clients succeed" in text and "clients' success" in text
    # Everyone is asked, the new hire among them.
    assert Acknowledgement.objects.filter(principle=state, user=new_hire, version=1).exists()


def test_a_minor_change_is_a_new_release_that_asks_and_announces_nothing(
    client, cx_lead, leader, new_hire, company_channel, django_capture_on_commit_callbacks
):
    page = principle(user=leader)
    state = Principle.objects.get(translation_key=page.translation_key)
    page.statement = "We measure ourselves by our clients' success!"
    page.save_revision(user=cx_lead)
    page.get_workflow().start(page, cx_lead)
    page = PrinciplePage.objects.get(pk=page.pk)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(page, "approve_minor"), {"comment": "A typo."})
    state.refresh_from_db()
    assert state.version == 1
    assert PrincipleRelease.objects.filter(principle=state).count() == 2
    assert not PrincipleRelease.objects.filter(principle=state, material=False).get().material
    assert OutboxMessage.objects.filter(channel=COMPANY_CHANNEL).count() == 1


def test_a_material_change_asks_again_and_announces_it_marked(
    client, cx_lead, leader, company_channel, django_capture_on_commit_callbacks
):
    page = principle(user=leader)
    page.why_it_matters = "Clients who succeed stay, and bring others."
    page.save_revision(user=cx_lead)
    page.get_workflow().start(page, cx_lead)
    page = PrinciplePage.objects.get(pk=page.pk)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(page, "approve_material"), {"comment": ""})
    state = Principle.objects.get(translation_key=page.translation_key)
    assert state.version == 2
    texts = list(
        OutboxMessage.objects.filter(channel=COMPANY_CHANNEL).values_list("text", flat=True)
    )
    assert len(texts) == 2 and "material change" in texts[0] + texts[1]


def test_leadership_may_request_changes_with_a_comment(client, cx_lead, leader):
    page = submitted(cx_lead)
    client.force_login(leader)
    response = client.post(action_url(page, "reject"), {"comment": "Say who decides."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_states.get().status == "needs_changes"


def test_a_scheduled_principle_goes_live_on_the_beat(leader):
    page = principle(publish=False, user=leader)
    revision = page.latest_revision
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    PrinciplePage.objects.filter(pk=page.pk).update(go_live_at=revision.approved_go_live_at)
    publish_scheduled_task()
    page.refresh_from_db()
    assert page.live
    assert Principle.objects.get(translation_key=page.translation_key).version == 1
