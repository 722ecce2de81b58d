"""A CX principle end to end: the CX team submits it, the leader approves it in the admin as a
material change, an employee sees it on the home page, reads it, answers its check question
(wrong, then right) and acknowledges it, and the report counts them."""

import pytest
from playwright.sync_api import expect

from portal.principles.models import Acknowledgement, Principle
from portal.principles.pages import PrinciplePage
from tests.e2e.journeys import serious_axe_violations, signed_in_page
from tests.portal.principles.helpers import principle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Decision-makers talk to customers"
APPROVE = "Approve: a material change (ask everyone again)"


def test_leader_approves_employee_answers_and_acknowledges_report_counts(
    live_server, browser, cx_lead, leader, new_hire, hr, eager_tasks
):
    base = live_server.url
    draft = principle(
        TITLE,
        "The people who decide answer customers themselves.",
        publish=False,
        user=cx_lead,
        with_question=True,
    )
    draft.get_workflow().start(draft, cx_lead)

    # --- the leader approves it in the admin, as a material change ---------------------------
    page = signed_in_page(browser, base, leader)
    page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=APPROVE).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Comment").fill("Clear, and true of us.")
    dialog.get_by_role("button", name=APPROVE).click()
    expect(page.locator(".messages")).to_contain_text(TITLE)
    assert PrinciplePage.objects.get(pk=draft.pk).live
    state = Principle.objects.get(translation_key=draft.translation_key)
    assert state.version == 1
    page.context.close()

    # --- the employee sees it at home, reads it, answers and acknowledges ---------------------
    page = signed_in_page(browser, base, new_hire)
    place = page.locator(
        "section", has=page.get_by_role("heading", name="Principles to acknowledge")
    )
    expect(place).to_contain_text(TITLE)
    place.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert serious_axe_violations(page) == []
    page.get_by_label("Whoever has time").check()
    page.get_by_role("button", name="I have read and understood it").click()
    expect(page.locator("#acknowledge")).to_contain_text("Read 'Why it matters' again.")
    assert not Acknowledgement.objects.filter(user=new_hire, acknowledged_at__isnull=False)
    page.get_by_label("The person who decides").check()
    page.get_by_role("button", name="I have read and understood it").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Thank you")
    expect(page.locator(".principle-state")).to_contain_text("You acknowledged this version")
    page.goto(base + "/")
    expect(page.get_by_text("You have acknowledged every published principle.")).to_be_visible()
    page.context.close()

    # --- the report counts them ----------------------------------------------------------------
    page = signed_in_page(browser, base, hr)
    page.goto(base + "/admin/principles/report/")
    row = page.locator("tbody tr", has_text=TITLE)
    asked = Acknowledgement.objects.filter(principle=state).count()
    assert asked >= 4  # everyone was asked when it was published
    cells = row.locator("td")
    expect(row).to_contain_text(TITLE)
    texts = [text.strip() for text in cells.all_inner_texts()]
    assert texts[3:7] == [str(asked), "1", str(asked - 1), "0"], texts
    page.context.close()
