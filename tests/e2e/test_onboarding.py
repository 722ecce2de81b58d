"""Onboarding end to end: the new hire opens a module from My onboarding, fails its quiz,
follows the wrong answer back to the lesson that teaches it, passes on the second try, sees
the progress bar move, and HR sees both attempts on the dashboard."""

import pytest
from playwright.sync_api import expect

from onboarding.services import onboarding_enrol
from portal.models import Profile
from tests.e2e.journeys import serious_axe_violations, signed_in_page
from tests.onboarding.helpers import module, programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LESSON = (
    "<p>Some problems are one customer's bad day; others come back for everyone. "
    "A systemic problem is one whose cause is in how we work: CX removes the cause.</p>"
)
QUESTION = "A problem that comes back for many customers is…"
RIGHT = "Systemic: remove its cause"
WRONG = "Individual: apologise to each customer"


def _quiz() -> dict:
    return {
        "type": "quiz",
        "value": {
            "title": "Systemic or individual?",
            "pass_mark": 100,
            "ask": None,
            "retries": 3,
            "questions": [
                {
                    "question": QUESTION,
                    "kind": "single",
                    "lesson_anchor": "systemic problem",
                    "answers": [
                        {"text": WRONG, "correct": False, "explanation": "It will come back."},
                        {"text": RIGHT, "correct": True, "explanation": "So it stops."},
                    ],
                }
            ],
        },
    }


def test_new_hire_fails_reads_the_lesson_passes_and_hr_sees_it(live_server, browser, new_hire, hr):
    base = live_server.url
    genesis = programme()
    filler = "".join(f"<p>Paragraph {n} of our history.</p>" for n in range(30))
    module(
        genesis,
        "CX removes the cause",
        due_day=1,
        body=[
            {"type": "paragraph", "value": LESSON},
            {"type": "paragraph", "value": filler},
            _quiz(),
        ],
    )
    module(genesis, "Everyone talks to customers", due_day=5)
    Profile.objects.filter(user=new_hire).update(start_date=None)
    onboarding_enrol(user=new_hire, programme=genesis)

    page = signed_in_page(browser, base, new_hire)
    page.goto(base + "/onboarding/")
    bar = page.get_by_label("Modules done")
    expect(bar).to_have_attribute("value", "0")
    expect(bar).to_have_attribute("max", "2")
    page.get_by_role("link", name="CX removes the cause").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CX removes the cause")
    assert serious_axe_violations(page) == []

    # --- wrong first --------------------------------------------------------------------------
    page.get_by_label(WRONG).check()
    page.get_by_role("button", name="Submit my answers").click()
    results = page.locator("[data-quiz-results]")
    expect(results).to_contain_text("Attempt 1: 0%. Not passed yet.")
    expect(results).to_contain_text("It will come back.")
    lesson = results.get_by_role("link", name="Read again: systemic problem")
    lesson.click()
    expect(page.get_by_text("CX removes the cause.", exact=False).first).to_be_in_viewport()
    assert "#block-" in page.url

    # --- right the second time -----------------------------------------------------------------
    page.get_by_label(RIGHT).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        "You passed “Systemic or individual?” with 100%."
    )
    expect(page.locator(".quiz-passed")).to_contain_text("on attempt 2")
    page.goto(base + "/onboarding/")
    expect(page.get_by_label("Modules done")).to_have_attribute("value", "1")
    expect(page.locator(".progress-text").first).to_have_text("1 of 2")
    page.context.close()

    # --- HR sees the attempts ---------------------------------------------------------------
    page = signed_in_page(browser, base, hr)
    page.goto(base + "/admin/onboarding/learners/")
    row = page.locator("tbody tr", has_text=new_hire.get_full_name())
    expect(row).to_contain_text("Genesis")
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    assert cells[4:6] == ["1", "2"], cells  # modules done, of
    assert cells[8] == "1", cells  # one failed attempt
    row.get_by_role("link", name=new_hire.get_full_name()).click()
    attempts = page.locator("[data-attempt]")
    expect(attempts).to_have_count(2)
    expect(attempts.nth(0)).to_contain_text("#1")
    expect(attempts.nth(0)).to_contain_text("failed")
    expect(attempts.nth(1)).to_contain_text("passed")
    page.context.close()
