"""The admin in the portal's name, with a dashboard panel for each role's waiting work."""

import pytest
from django.utils import timezone
from wagtail.models import Site

from portal.models import OutboxMessage, PortalSettings
from tests.factories import OutboxMessageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _mascot():
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 64), (11, 110, 79)).save(buffer, format="PNG")
    return Image.objects.create(
        title="Mascot", file=ImageFile(buffer, name="mascot.png"), width=64, height=64
    )


def _dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_cx_team_sees_failed_slack_messages(client, cx_lead, hr):
    OutboxMessageFactory(
        channel="C0FAILED01",
        text="Tom &amp; Jerry loved it",
        state=OutboxMessage.State.FAILED,
        last_error="channel_not_found",
    )
    body = _dashboard(client, cx_lead)
    assert "Slack messages that failed" in body
    assert "1 message to Slack failed." in body
    assert "channel_not_found" in body
    assert "Tom &amp; Jerry loved it" in body
    assert "Slack messages that failed" not in _dashboard(client, hr)


def test_cx_team_is_told_when_nothing_failed(client, cx_lead):
    assert "Every message to Slack went out." in _dashboard(client, cx_lead)


def test_hr_sees_people_missing_a_department_or_start_date(client, hr, outsider, leader):
    hr.profile.start_date = timezone.localdate()
    hr.profile.save()
    body = _dashboard(client, hr)
    assert "People missing a department or start date" in body
    assert str(outsider) in body
    assert f"/admin/snippets/portal/profile/edit/{outsider.profile.pk}/" in body
    assert "People missing a department or start date" not in _dashboard(client, leader)


def test_leadership_sees_what_waits_for_approval(client, leader, cx_lead):
    body = _dashboard(client, leader)
    assert "Waiting for approval" in body
    assert "Nothing is waiting for approval." in body
    assert "Waiting for approval" not in _dashboard(client, cx_lead)


def test_dashboard_costs_the_same_with_more_waiting_work(client, hr, django_assert_max_num_queries):
    _dashboard(client, hr)
    with django_assert_max_num_queries(60) as few:
        _dashboard(client, hr)
    UserFactory.create_batch(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _dashboard(client, hr)


def test_admin_carries_the_programme_name_and_mascot(client, leader):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.programme_name = "Customer for Life"
    settings.mascot_image = _mascot()
    settings.save()
    body = _dashboard(client, leader)
    assert "<title>" in body and "Customer for Life</title>" in body
    assert "/mascot/large/" in body
    assert "Wagtail</title>" not in body


def test_the_mascot_is_public_and_nothing_else_is(client):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    image = _mascot()
    settings.mascot_image = image
    settings.save()
    response = client.get("/mascot/small/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"
    assert client.get("/mascot/huge/").status_code == 404
    # The original upload and its other renditions stay behind sign-in.
    assert client.get(image.file.url).status_code == 302


def test_the_sign_in_page_shows_the_mascot(client):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.mascot_image = _mascot()
    settings.mascot_name = "Ollie"
    settings.save()
    body = client.get("/accounts/login/").content.decode()
    assert '<img src="/mascot/small/" class="mascot" width="40" height="40" alt="Ollie">' in body
    assert client.get("/mascot/small/").status_code == 200
