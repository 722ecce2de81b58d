"""Customer voices end to end: a story from filing to thanks, a concern from filing to the fix.

1. An ambassador files a story (the customer may not be named); the CX lead approves it
   through Wagtail's review workflow in the admin; a new hire reads it and says thanks.
2. An ambassador files a high-severity concern with an email address and a phone number in
   it; the CX lead acknowledges it, classifies it systemic and routes it to Engineering; an
   engineer resolves it with a note; the ambassador sees the outcome on their profile and the
   concern's page, with a Slack DM waiting in the outbox; an outsider sees the identifiers
   masked, and the fix on "You said, we did".

Then the voices' pages with data in them, in both languages, under axe-core and under the
Content-Security-Policy (the admin's story editor and triage pages included).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from ambassadors.models import Touchpoint
from ambassadors.services import appointment_create
from portal.models import OutboxMessage, Profile
from stories.models import Concern, Story
from stories.services import concern as concern_services
from stories.services.story import story_submit
from tests.e2e.journeys import open_action, serious_axe_violations, signed_in_page, watch_csp
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CUSTOMER_NAME = "Mrs Hyejin Park"
STORY_TITLE = "A refund before the customer even asked"
CUSTOMER_EMAIL = "jane.doe@example.com"
CUSTOMER_PHONE = "+82 10-1234-5678"
WHAT_WE_DID = "We replaced the payment gateway; card payments from Korea now go through."


def _touchpoints():
    return (
        Touchpoint.objects.create(name="Support", slug="support", order=1),
        Touchpoint.objects.create(name="Billing", slug="billing", order=2),
    )


def _close(page) -> None:
    page.context.close()


def test_story_is_filed_approved_in_the_admin_published_and_thanked(
    live_server, browser, ambassador, cx_lead, new_hire
):
    base = live_server.url
    _support, billing = _touchpoints()
    DepartmentFactory(name="Billing", slug="billing")

    # --- the ambassador files the story -----------------------------------------------------
    page = signed_in_page(browser, base, ambassador)
    page.goto(base + "/stories/new/")
    page.get_by_label("Title").fill(STORY_TITLE)
    page.get_by_label("What happened").fill(
        "The customer was charged twice; we noticed first and refunded them the same day."
    )
    page.get_by_label("The customer's own words").fill("You fixed it before I even noticed!")
    page.get_by_label("Outcome").fill("They renewed for two more years.")
    page.get_by_label("Touchpoint").select_option(label=billing.name)
    # Their own department is chosen for them; the story should also reach Billing.
    expect(page.get_by_role("checkbox", name="Customer Support")).to_be_checked()
    page.get_by_role("checkbox", name="Billing").check()
    page.get_by_label("Tags").fill("refund, 야간지원")
    page.get_by_label("Language of the story").select_option("en")
    # The customer did not agree to be named: a name typed anyway is refused, not stored.
    page.get_by_label("Customer's name").fill(CUSTOMER_NAME)
    page.get_by_role("button", name="Send for review").click()
    name_field = page.get_by_label("Customer's name")
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid")).to_contain_text("only if they agreed to be named")
    # Nothing else typed is lost.
    expect(page.get_by_label("Title")).to_have_value(STORY_TITLE)
    expect(page.get_by_role("checkbox", name="Billing")).to_be_checked()
    assert not Story.objects.exists()
    name_field.fill("")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("status")).to_contain_text("the CX team will review it")
    expect(page.get_by_role("heading", level=1)).to_have_text(STORY_TITLE)
    expect(page.locator(".story-status")).to_contain_text("In review")
    story = Story.objects.get()
    assert story.customer_name == "" and not story.live
    _close(page)

    # --- the CX lead approves it through the review workflow in the admin --------------------
    page = signed_in_page(browser, base, cx_lead)
    page.goto(base + "/admin/")
    page.get_by_role("link", name="Stories", exact=True).first.click()
    page.get_by_role("link", name=STORY_TITLE).first.click()
    expect(page.locator("#id_title")).to_have_value(STORY_TITLE)
    assert CUSTOMER_NAME not in page.content()
    # Wagtail's workflow action, in the editor's action menu.
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"'{STORY_TITLE}' updated")
    story.refresh_from_db()
    assert story.live and story.review_status == Story.ReviewStatus.PUBLISHED
    _close(page)

    # --- a new hire finds it in the list, reads it and says thanks ---------------------------
    page = signed_in_page(browser, base, new_hire)
    page.goto(base + "/stories/")
    card = page.locator("article.story-card").filter(has_text=STORY_TITLE)
    expect(card).to_contain_text("You fixed it before I even noticed!")
    card.get_by_role("link", name=STORY_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STORY_TITLE)
    page.get_by_role("button", name="Say thanks").click()
    expect(page.locator(".story-thanks-box")).to_contain_text("1 person said thanks")
    expect(page.get_by_role("button", name="Say thanks")).to_have_count(0)
    assert CUSTOMER_NAME not in page.content()
    page.goto(base + "/stories/")
    assert CUSTOMER_NAME not in page.content()
    _close(page)

    # The submitter is told once that it is published (by email: no Slack member ID).
    told = OutboxMessage.objects.filter(idempotency_key__startswith="stories:story:")
    assert told.count() == 1
    assert told.get().channel == ambassador.email


def test_concern_is_triaged_resolved_by_the_owner_and_the_submitter_hears_back(
    live_server, browser, ambassador, cx_lead, outsider
):
    base = live_server.url
    _touchpoints()
    engineering = DepartmentFactory(name="Engineering", slug="engineering")
    engineer = UserFactory(
        email="engineer@example.com", first_name="Engineer", department=engineering
    )
    Profile.objects.filter(user=ambassador).update(slack_user_id="U0AMBASS01")

    # --- the ambassador files it -------------------------------------------------------------
    page = signed_in_page(browser, base, ambassador)
    page.goto(base + "/concerns/new/")
    page.get_by_label("Title").fill("Card payments from Korea fail at checkout")
    page.get_by_label("What the customer experienced").fill(
        f"The customer ({CUSTOMER_EMAIL}, {CUSTOMER_PHONE}) tried three cards; each was "
        "declined at the last step and they nearly gave up."
    )
    page.get_by_label("Touchpoint").select_option(label="Billing")
    # Their own department is chosen for them.
    seen_in = page.get_by_label("Department where it was seen")
    expect(seen_in.locator("option:checked")).to_have_text("Customer Support")
    page.get_by_role("radio", name="High").check()
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_role("status")).to_contain_text("Your concern was filed")
    concern = Concern.objects.get()
    assert concern.severity == "high" and concern.state == Concern.State.NEW
    expect(page).to_have_url(re.compile(rf"/concerns/{concern.pk}/$"))
    _close(page)
    concern_url = f"{base}/concerns/{concern.pk}/"

    # --- the CX lead acknowledges, classifies it systemic, routes it to Engineering ---------
    page = signed_in_page(browser, base, cx_lead)
    page.goto(concern_url)
    open_action(page, "Acknowledge").get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Acknowledged")
    action = open_action(page, "Classify")
    action.get_by_role("radio", name=re.compile("^Systemic")).check()
    action.get_by_role("button", name="Classify").click()
    expect(page.get_by_role("status")).to_contain_text("Classification saved")
    action = open_action(page, "Set the owner")
    action.get_by_label("Owner department").select_option(label="Engineering")
    action.get_by_role("button", name="Set the owner").click()
    expect(page.get_by_role("status")).to_contain_text("Owner saved")
    expect(page.locator(".facts")).to_contain_text("Engineering")
    _close(page)
    concern.refresh_from_db()
    assert concern.state == Concern.State.ACKNOWLEDGED
    assert concern.kind == Concern.Kind.SYSTEMIC
    assert concern.owner_department_id == engineering.pk

    # --- an engineer, in the owner department, resolves it --------------------------------
    page = signed_in_page(browser, base, engineer)
    page.goto(concern_url)
    # The owner department sees the identifiers it needs to fix the cause.
    expect(page.locator(".concern-text").first).to_contain_text(CUSTOMER_EMAIL)
    action = open_action(page, "Resolve")
    action.get_by_label("What we did").fill(WHAT_WE_DID)
    action.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("status")).to_contain_text("Resolved")
    _close(page)
    concern.refresh_from_db()
    assert concern.state == Concern.State.RESOLVED

    # --- the ambassador sees what came of it --------------------------------------------------
    page = signed_in_page(browser, base, ambassador)
    page.goto(base + "/profile/")
    raised = page.locator("#profile-my_concerns_filed")
    expect(raised).to_contain_text("Card payments from Korea fail at checkout")
    expect(raised).to_contain_text("Resolved")
    expect(raised).to_contain_text("We replaced the payment gateway")
    raised.get_by_role("link", name="Card payments from Korea fail at checkout").click()
    expect(page).to_have_url(concern_url)
    expect(page.locator(".concern-badges")).to_contain_text("Resolved")
    expect(page.locator(".concern-outcome-fixed")).to_contain_text(WHAT_WE_DID)
    _close(page)
    dm = OutboxMessage.objects.filter(channel="U0AMBASS01", text__contains=WHAT_WE_DID)
    assert dm.count() == 1

    # --- an outsider reads it with the identifiers hidden, and finds it on the fixes page ----
    page = signed_in_page(browser, base, outsider)
    page.goto(concern_url)
    description = page.locator(".concern-text").first
    expect(description).to_contain_text("[email hidden]")
    expect(description).to_contain_text("[phone hidden]")
    content = page.content()
    assert CUSTOMER_EMAIL not in content and "1234-5678" not in content
    page.goto(base + "/you-said-we-did/")
    item = page.locator(".ysdw-item").filter(has_text="Card payments from Korea fail at checkout")
    expect(item).to_contain_text(WHAT_WE_DID)
    expect(item).to_contain_text("fixed by Engineering")
    _close(page)


# --- the pages, with data in them, under axe-core and the policy ----------------------------


def _voices(*, ambassador, cx_lead, administrator, department):
    """A published story, a systemic concern fixed by Engineering, an open one, an ambassador."""
    support, billing = _touchpoints()
    engineering = DepartmentFactory(name="Engineering", slug="engineering")
    story = story_submit(
        user=ambassador,
        title=STORY_TITLE,
        what_happened="The customer was charged twice; we refunded them the same day.",
        customer_words=f"You fixed it before I even noticed! Write to me at {CUSTOMER_EMAIL}.",
        outcome="They renewed for two more years.",
        touchpoint_id=billing.pk,
        department_ids=[department.pk],
        tags=["refund", "야간지원"],
        language="en",
    )
    story.current_workflow_task_state.approve(user=cx_lead)
    fixed = concern_services.concern_file(
        user=ambassador,
        title="Card payments from Korea fail at checkout",
        description=f"The customer ({CUSTOMER_EMAIL}, {CUSTOMER_PHONE}) tried three cards.",
        customer_reference="ORD-2291",
        touchpoint_id=billing.pk,
        department_id=department.pk,
        severity="high",
    )
    concern_services.concern_acknowledge(user=cx_lead, concern=fixed)
    concern_services.concern_classify(user=cx_lead, concern=fixed, kind=Concern.Kind.SYSTEMIC)
    concern_services.concern_set_owner(
        user=cx_lead, concern=fixed, owner_department_id=engineering.pk, assignee_id=None
    )
    concern_services.concern_resolve(user=cx_lead, concern=fixed, what_we_did=WHAT_WE_DID)
    still_open = concern_services.concern_file(
        user=ambassador,
        title="Invoices arrive in the wrong language",
        description="A Korean customer received an English invoice and could not read it.",
        touchpoint_id=support.pk,
        department_id=department.pk,
        severity="medium",
    )
    today = datetime.date.today()
    appointment_create(
        user=administrator,
        person_id=ambassador.pk,
        department_id=department.pk,
        touchpoint_ids=[support.pk, billing.pk],
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=300),
        reason="Knows every billing question by heart.",
    )
    story.refresh_from_db()
    return story, fixed, still_open


def _voice_paths(story, fixed, still_open) -> list[str]:
    return [
        "/stories/",
        "/stories/new/",
        f"/stories/{story.pk}/",
        "/concerns/",
        "/concerns/new/",
        f"/concerns/{fixed.pk}/",
        f"/concerns/{still_open.pk}/",
        "/you-said-we-did/",
        "/ambassadors/",
        "/recognition/",
        "/profile/",
        "/",
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_voice_pages_with_data_pass_axe(
    live_server, browser, ambassador, cx_lead, new_hire, administrator, department, language
):
    base = live_server.url
    story, fixed, still_open = _voices(
        ambassador=ambassador, cx_lead=cx_lead, administrator=administrator, department=department
    )
    found = []
    for user in (new_hire, ambassador, cx_lead):
        Profile.objects.filter(user=user).update(language=language)
        page = signed_in_page(browser, base, user, language=language)
        paths = _voice_paths(story, fixed, still_open)
        if user == cx_lead:  # the triage queue, and with its filters open
            paths += ["/concerns/triage/", "/concerns/triage/?state=all&severity=high"]
        for path in paths:
            page.goto(base + path)
            assert page.get_attribute("html", "lang") == language, path
            found += serious_axe_violations(page)
        if user == new_hire:
            # A form sent back with its errors beside the fields.
            page.goto(base + "/stories/new/")
            page.locator("form.story-form button[type=submit]").click()
            page.locator(".field-invalid").first.wait_for()
            found += serious_axe_violations(page)
            # A page with a flash message (the thanks just said).
            page.goto(base + f"/stories/{story.pk}/")
            page.locator(".story-thanks-box form button[type=submit]").click()
            page.locator(".messages").wait_for()
            found += serious_axe_violations(page)
        page.context.close()
    assert found == [], "\n".join(sorted(set(found)))


def test_voice_pages_and_their_admin_run_under_the_policy(
    live_server, browser, ambassador, cx_lead, administrator, department
):
    base = live_server.url
    story, fixed, still_open = _voices(
        ambassador=ambassador, cx_lead=cx_lead, administrator=administrator, department=department
    )
    story_under_review = story_submit(
        user=ambassador,
        title="Night shift answered within a minute",
        what_happened="A customer wrote at 3 a.m.; the night shift answered at once.",
        customer_words="I did not expect anyone to be awake!",
        outcome="They told their whole team about us.",
        touchpoint_id=story.touchpoint_id,
        department_ids=[department.pk],
        tags=[],
        language="en",
    )
    violations = []
    elsewhere = []
    page = signed_in_page(browser, base, cx_lead)
    watch_csp(page, violations)
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((base, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    for path in _voice_paths(story, fixed, still_open):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # portal.js suggests similar open concerns while the title is typed (a same-origin fetch).
    page.goto(base + "/concerns/new/")
    page.get_by_label("Title").press_sequentially("Invoices in the wrong language", delay=20)
    similar = page.locator("[data-similar-results]")
    expect(similar).to_contain_text("Invoices arrive in the wrong language")
    for path in (
        "/concerns/triage/",
        "/admin/stories/",
        f"/admin/stories/edit/{story_under_review.pk}/",
        "/admin/concerns/triage/",
        "/admin/concerns/candidates/",
        "/admin/concerns/slas/",
        "/admin/snippets/ambassadors/touchpoint/",
        "/admin/snippets/ambassadors/appointment/",
        "/admin/snippets/ambassadors/appointment/add/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    page.context.close()
    assert violations == [], "\n".join(f"{url}: {text[:90]}" for url, text in violations)
    assert elsewhere == []
