"""The Content-Security-Policy blocks nothing the portal or Wagtail's admin needs, and no page
reaches another host."""

import pytest

from portal.models import Department
from tests.e2e.journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_portal_and_admin_pages_run_under_the_policy(live_server, page, administrator):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append((page.url, message.text))
            if "Content Security Policy" in message.text
            else None
        ),
    )
    department = Department.objects.create(name="Billing", slug="billing")
    base = live_server.url
    # No page may reach another host (gravatar.com received a hash of each email before).
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((base, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    sign_in(page, base, administrator)
    for path in (
        "/",
        "/profile/",
        "/admin/",
        "/admin/users/",
        f"/admin/snippets/portal/department/edit/{department.pk}/",
        "/admin/images/add/",
        "/stories/",
        "/stories/new/",
        "/concerns/",
        "/concerns/new/",
        "/you-said-we-did/",
        "/ambassadors/",
        "/recognition/",
        "/admin/stories/",
        "/admin/concerns/triage/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # Wagtail's admin is drawn by its scripts: if the policy had blocked them, no menu.
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Pages").first.wait_for()
    # The time chooser, which Wagtail starts with an inline script, still opens.
    page.goto(base + f"/admin/snippets/portal/department/edit/{department.pk}/")
    page.click("#id_voice_time")
    page.locator(".xdsoft_datetimepicker").first.wait_for()
    assert violations == []
    assert elsewhere == []
