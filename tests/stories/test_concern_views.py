"""Concern pages: the list, filing with similar concerns, one concern, its actions, "You said,
we did", and the home and profile places. Masking, escaping and query counts on each."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from wagtail import hooks

from portal.auth import rights_of
from portal.home import HOOK, PROFILE_HOOK, sections_for
from portal.models import OutboxMessage, Profile
from portal.selectors import profile_for
from portal.ui import NAV_HOOK
from stories.models import Concern, ConcernFollower
from stories.services import concern as services
from tests.factories import DepartmentFactory, UserFactory
from tests.stories.test_concern_services import XSS, file_concern, make_touchpoint

pytestmark = pytest.mark.django_db

LIST = "/concerns/"
NEW = "/concerns/new/"
SIMILAR = "/concerns/similar/"
YSWD = "/you-said-we-did/"
EMAIL = "kim.minji@example.co.kr"
PHONE = "010-1234-5678"


def detail(concern) -> str:
    return f"/concerns/{concern.pk}/"


def action(concern, name: str) -> str:
    return f"/concerns/{concern.pk}/{name}/"


@pytest.fixture
def billing(db):
    return DepartmentFactory(
        name="Billing", slug="billing", timezone="America/New_York", slack_channel_id="CBILLING1"
    )


@pytest.fixture
def concern(ambassador, department):
    return file_concern(
        ambassador,
        department=department,
        title=f"Receipt sent to {EMAIL}",
        description=f"The customer ({EMAIL}, {PHONE}) never got the refund. {XSS}",
        customer_reference="ORDER-99812",
    )


def test_the_urls_have_their_names():
    assert reverse("stories:concern_list") == LIST
    assert reverse("stories:concern_new") == NEW
    assert reverse("stories:concern_similar") == SIMILAR
    assert reverse("stories:concern_detail", args=[7]) == "/concerns/7/"
    assert reverse("stories:concern_action", args=[7, "set-owner"]) == "/concerns/7/set-owner/"
    assert reverse("stories:you_said_we_did") == YSWD


# --- masking and escaping on the pages ----------------------------------------------------


def test_an_outsider_sees_identifiers_hidden_where_the_cx_lead_sees_them(
    client, concern, outsider, cx_lead
):
    client.force_login(outsider)
    body = client.get(detail(concern)).content.decode()
    assert EMAIL not in body and PHONE not in body and "ORDER-99812" not in body
    assert "[email hidden]" in body and "[phone hidden]" in body and "[hidden]" in body
    client.force_login(cx_lead)
    body = client.get(detail(concern)).content.decode()
    assert EMAIL in body and PHONE in body and "ORDER-99812" in body
    assert "[email hidden]" not in body


def test_the_owner_department_sees_its_concerns_unmasked_in_the_list(
    client, concern, ambassador, cx_lead, billing
):
    member = UserFactory(email="biller@example.com", department=billing)
    client.force_login(member)
    assert EMAIL not in client.get(LIST).content.decode()
    services.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    body = client.get(LIST).content.decode()
    assert EMAIL in body
    assert EMAIL in client.get(detail(concern)).content.decode()


def test_user_text_is_escaped_on_the_page(client, concern, cx_lead, ambassador, department):
    services.concern_add_note(user=cx_lead, concern=concern, note=XSS, internal=False)
    titled = file_concern(ambassador, department=department, title=f"Title {XSS}")
    escaped = (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;!channel&gt; &lt;@U0123ABCD&gt;"
    )
    client.force_login(cx_lead)
    for url in (detail(concern), detail(titled), LIST, SIMILAR + "?title=Title+alert+channel"):
        body = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in body, url
        assert "<!channel>" not in body and "<@U0123ABCD>" not in body, url
        assert escaped in body, url


# --- the list -----------------------------------------------------------------------------


def _many(count: int, *, submitter, department, touchpoint) -> None:
    Concern.objects.bulk_create(
        [
            Concern(
                title=f"Concern {n} from {EMAIL}",
                description="Something went wrong.",
                touchpoint=touchpoint,
                department=department,
                severity=["low", "medium", "high", "critical"][n % 4],
                submitted_by=submitter,
                assignee=submitter if n % 2 else None,
            )
            for n in range(count)
        ]
    )


@pytest.mark.parametrize(
    "query",
    ["", "?sort=-due", "?sort=severity&state=open", "?mine=on&q=Concern", "?page=2&sort=title"],
)
def test_the_list_costs_the_same_queries_at_10_and_200_rows(
    client, outsider, ambassador, department, query, django_assert_max_num_queries
):
    touchpoint = make_touchpoint()
    _many(10, submitter=outsider, department=department, touchpoint=touchpoint)
    client.force_login(outsider)
    client.get(LIST)  # warm the content-type and site caches
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST + query).status_code == 200
    _many(190, submitter=outsider, department=department, touchpoint=touchpoint)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST + query)
    assert response.status_code == 200
    assert EMAIL not in response.content.decode()


def test_the_list_filters(client, ambassador, new_hire, cx_lead, department, billing):
    a = file_concern(ambassador, department=department, title="Alpha checkout", severity="high")
    b = file_concern(new_hire, department=billing, title="Bravo invoice", severity="low")
    c = file_concern(new_hire, department=department, title="Charlie refund")
    services.concern_follow(user=ambassador, concern=c)
    services.concern_set_owner(user=cx_lead, concern=b, owner_department_id=department.pk)
    services.concern_classify(user=cx_lead, concern=b, kind="systemic")
    services.concern_acknowledge(user=cx_lead, concern=c)
    client.force_login(ambassador)

    def titles(query):
        body = client.get(LIST + query).content.decode()
        return {name for name in ("Alpha", "Bravo", "Charlie") if name in body}

    assert titles("") == {"Alpha", "Bravo", "Charlie"}
    assert titles("?severity=high") == {"Alpha"}
    assert titles("?state=acknowledged") == {"Charlie"}
    assert titles("?state=open") == {"Alpha", "Bravo", "Charlie"}
    assert titles("?kind=systemic") == {"Bravo"}
    assert titles("?kind=unclassified") == {"Alpha", "Charlie"}
    assert titles(f"?department={billing.pk}") == {"Bravo"}
    assert titles(f"?owner={department.pk}") == {"Bravo"}
    assert titles(f"?involving={department.pk}") == {"Alpha", "Bravo", "Charlie"}
    assert titles(f"?touchpoint={make_touchpoint().pk}") == {"Alpha", "Bravo", "Charlie"}
    assert titles("?mine=on") == {"Alpha", "Charlie"}
    assert titles("?q=invoice") == {"Bravo"}
    assert titles("?severity=nonsense&department=x") == {"Alpha", "Bravo", "Charlie"}
    assert a and c


def test_search_finds_korean_words_with_particles(client, ambassador, department):
    file_concern(ambassador, department=department, title="결제가 계속 실패합니다")
    file_concern(ambassador, department=department, title="배송이 늦어요")
    client.force_login(ambassador)
    body = client.get(LIST + "?q=결제").content.decode()
    assert "결제가 계속 실패합니다" in body and "배송이 늦어요" not in body


def test_the_list_sorts_by_severity_and_marks_overdue(client, ambassador, department):
    file_concern(ambassador, department=department, title="Low one", severity="low")
    late = file_concern(
        ambassador, department=department, title="Critical one", severity="critical"
    )
    Concern.objects.filter(pk=late.pk).update(due_at="2020-01-01T00:00:00Z")
    client.force_login(ambassador)
    body = client.get(LIST + "?sort=severity").content.decode()
    assert body.index("Critical one") < body.index("Low one")
    assert "Overdue" in body


def test_an_empty_list_says_so(client, outsider):
    client.force_login(outsider)
    assert "No concerns have been raised yet." in client.get(LIST).content.decode()
    assert "No concern matches these filters." in client.get(LIST + "?q=zzz").content.decode()


# --- filing -------------------------------------------------------------------------------


def _form(department, **changes):
    data = {
        "title": "Refund never arrived",
        "description": "Waited three weeks.",
        "customer_reference": "",
        "touchpoint_id": make_touchpoint().pk,
        "department_id": department.pk,
        "severity": "medium",
        "confirm": "",
    }
    data.update(changes)
    return data


def test_filing_from_the_web(client, ambassador, department):
    client.force_login(ambassador)
    page = client.get(NEW).content.decode()
    assert 'data-similar-url="/concerns/similar/"' in page
    assert f'<option value="{department.pk}" selected>' in page  # their department first
    response = client.post(NEW, _form(department))
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(concern)
    assert concern.submitted_by == ambassador


def test_errors_show_beside_the_fields_and_keep_what_was_typed(client, ambassador, department):
    client.force_login(ambassador)
    response = client.post(NEW, _form(department, title="", description="Kept <b>text</b>"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give the concern a short title." in body
    assert "Kept &lt;b&gt;text&lt;/b&gt;" in body
    assert not Concern.objects.exists()


def test_similar_open_concerns_are_offered_before_filing_without_scripts(
    client, new_hire, ambassador, department
):
    earlier = file_concern(new_hire, department=department, title="Refund never arrived in time")
    client.force_login(ambassador)
    response = client.post(NEW, _form(department))
    body = response.content.decode()
    assert response.status_code == 200 and not Concern.objects.exclude(pk=earlier.pk).exists()
    assert "Similar open concerns" in body
    assert action(earlier, "follow") in body
    assert "File mine anyway" in body
    assert 'name="confirm" value="1"' in body
    assert 'value="Refund never arrived"' in body  # what was typed is kept
    # Following instead goes back to that concern.
    followed = client.post(action(earlier, "follow"), {"next": detail(earlier)})
    assert followed["Location"] == detail(earlier)
    assert ConcernFollower.objects.filter(concern=earlier, user=ambassador).exists()
    # Or filing anyway.
    filed = client.post(NEW, _form(department, confirm="1"))
    assert filed.status_code == 302
    assert Concern.objects.count() == 2


def test_the_similar_endpoint_answers_html_or_json(client, new_hire, ambassador, department):
    earlier = file_concern(new_hire, department=department, title=f"Refund to {EMAIL} late")
    closed = file_concern(new_hire, department=department, title="Refund late again")
    Concern.objects.filter(pk=closed.pk).update(state="closed")
    client.force_login(ambassador)
    html = client.get(SIMILAR, {"title": "refund late"}).content.decode()
    assert detail(earlier) in html and detail(closed) not in html
    assert "Follow this one instead" in html and "csrfmiddlewaretoken" in html
    assert EMAIL not in html
    answer = client.get(SIMILAR, {"title": "refund late", "format": "json"}).json()
    assert [item["id"] for item in answer["results"]] == [earlier.pk]
    assert answer["results"][0]["following"] is False
    assert EMAIL not in json.dumps(answer)
    assert client.get(SIMILAR, {"title": ""}).content.decode().strip() == ""
    followed = client.get(
        SIMILAR, {"title": "refund late"}, headers={"accept": "application/json"}
    ).json()
    assert followed["results"][0]["title"].startswith("Refund to [email hidden]")


# --- one concern and its actions ----------------------------------------------------------


def test_the_page_shows_the_concern_and_its_timeline(client, concern, cx_lead, new_hire):
    services.concern_acknowledge(user=cx_lead, concern=concern, note="Seen")
    services.concern_add_note(user=cx_lead, concern=concern, note="Internal remark", internal=True)
    client.force_login(cx_lead)
    body = client.get(detail(concern)).content.decode()
    assert "Acknowledged" in body and "Internal remark" in body
    assert "timeline-internal" in body
    client.force_login(new_hire)
    body = client.get(detail(concern)).content.decode()
    assert "Internal remark" not in body and "timeline-internal" not in body
    assert "Seen" in body


def test_the_due_date_is_shown_in_the_viewers_time_zone(client, concern, new_hire):
    Profile.objects.filter(user=new_hire).update(timezone="America/New_York")
    client.force_login(new_hire)
    body = client.get(detail(concern)).content.decode()
    assert "(EST)" in body or "(EDT)" in body


def test_an_action_changes_the_concern_and_comes_back_to_it(client, concern, cx_lead):
    client.force_login(cx_lead)
    response = client.post(action(concern, "acknowledge"), {"note": "On it"})
    assert response.status_code == 302 and response["Location"] == detail(concern)
    concern.refresh_from_db()
    assert concern.state == "acknowledged"
    page = client.get(detail(concern)).content.decode()
    assert "Acknowledged: the person who raised it has been told." in page


def test_an_action_error_shows_beside_the_field_with_the_input_kept(client, concern, cx_lead):
    services.concern_acknowledge(user=cx_lead, concern=concern)
    client.force_login(cx_lead)
    response = client.post(action(concern, "resolve"), {"what_we_did": "   "})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Say what was done: the person who raised it will read it." in body
    assert 'id="id_resolve_what_we_did"' in body
    response = client.post(action(concern, "merge"), {"into": concern.pk})
    assert "A concern cannot be merged into itself." in response.content.decode()
    response = client.post(action(concern, "merge"), {"into": 999999})
    assert "There is no concern with this number." in response.content.decode()


def test_a_state_error_is_shown_above_the_form(client, concern, cx_lead):
    client.force_login(cx_lead)
    response = client.post(action(concern, "close"))
    assert response.status_code == 400
    assert "Only a resolved or declined concern can be closed." in response.content.decode()


def test_an_unknown_action_is_not_found_and_get_is_refused(client, concern, cx_lead):
    client.force_login(cx_lead)
    assert client.post(action(concern, "delete")).status_code == 404
    assert client.get(action(concern, "acknowledge")).status_code == 405
    assert client.get("/concerns/999999/").status_code == 404


def test_the_resolution_flow_on_the_web(client, concern, cx_lead, billing, ambassador):
    """Triaged by the CX lead, resolved by the owner department, seen by the submitter."""
    member = UserFactory(email="biller@example.com", department=billing)
    Profile.objects.filter(user=ambassador).update(slack_user_id="UAMBASS01")
    client.force_login(cx_lead)
    client.post(action(concern, "acknowledge"))
    client.post(action(concern, "classify"), {"kind": "systemic"})
    client.post(action(concern, "set-owner"), {"owner_department_id": billing.pk})
    client.force_login(member)
    page = client.get(detail(concern)).content.decode()
    assert action(concern, "resolve") in page and action(concern, "set-owner") not in page
    client.post(action(concern, "resolve"), {"what_we_did": "Replaced the payment gateway."})
    concern.refresh_from_db()
    assert concern.state == "resolved"
    client.force_login(ambassador)
    page = client.get(detail(concern)).content.decode()
    assert "Replaced the payment gateway." in page
    event = concern.events.get(kind="resolved")
    dm = OutboxMessage.objects.get(
        idempotency_key=f"stories:concern:{concern.pk}:event:{event.pk}:user:{ambassador.pk}"
    )
    assert dm.channel == "UAMBASS01"


# --- you said, we did ---------------------------------------------------------------------


def _fixed(submitter, department, cx_lead, n: int) -> Concern:
    concern = file_concern(submitter, department=department, title=f"Systemic {n} {EMAIL}")
    services.concern_acknowledge(user=cx_lead, concern=concern)
    services.concern_classify(user=cx_lead, concern=concern, kind="systemic")
    services.concern_resolve(user=cx_lead, concern=concern, what_we_did=f"Fix {n}: {PHONE}")
    return concern


def test_you_said_we_did_lists_fixed_systemic_concerns_newest_first(
    client, ambassador, department, cx_lead, outsider
):
    first = _fixed(ambassador, department, cx_lead, 1)
    second = _fixed(ambassador, department, cx_lead, 2)
    individual = file_concern(ambassador, department=department, title="Individual one")
    services.concern_acknowledge(user=cx_lead, concern=individual)
    services.concern_resolve(user=cx_lead, concern=individual, what_we_did="Called back")
    client.force_login(outsider)
    body = client.get(YSWD).content.decode()
    assert body.index("Fix 2") < body.index("Fix 1")
    assert "Individual one" not in body
    assert EMAIL not in body and PHONE not in body
    assert detail(first) in body and detail(second) in body


def test_you_said_we_did_says_when_nothing_was_fixed_yet(client, outsider):
    client.force_login(outsider)
    assert "No systemic concern has been fixed yet." in client.get(YSWD).content.decode()


def test_you_said_we_did_costs_the_same_with_more_fixes(
    client, outsider, ambassador, department, django_assert_max_num_queries
):
    touchpoint = make_touchpoint()

    def fixed(count):
        Concern.objects.bulk_create(
            [
                Concern(
                    title=f"Fixed {n}",
                    description="x",
                    touchpoint=touchpoint,
                    department=department,
                    owner_department=department,
                    submitted_by=ambassador,
                    kind="systemic",
                    state="resolved",
                    what_we_did="Changed the process.",
                    resolved_at="2026-11-01T00:00:00Z",
                )
                for n in range(count)
            ]
        )

    fixed(10)
    client.force_login(outsider)
    client.get(YSWD)
    with django_assert_max_num_queries(15) as few:
        assert client.get(YSWD).status_code == 200
    fixed(190)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(YSWD + "?page=2").status_code == 200


# --- home, profile and navigation ---------------------------------------------------------


def _section(user, key, hook=HOOK):
    sections = sections_for(user=user, profile=profile_for(user=user), hook_name=hook)
    return next(section for section in sections if section.key == key)


def test_my_departments_concerns_lists_open_ones_seen_in_or_owned_by_it(
    new_hire, ambassador, cx_lead, department, billing
):
    assert _section(new_hire, "concerns").items == []
    assert _section(new_hire, "concerns").empty == "No concerns are open for Customer Support."
    seen = file_concern(ambassador, department=department, title=f"Seen here {EMAIL}")
    elsewhere = file_concern(ambassador, department=billing, title="Seen in billing")
    owned = file_concern(ambassador, department=billing, title="Owned by support")
    services.concern_set_owner(user=cx_lead, concern=owned, owner_department_id=department.pk)
    section = _section(new_hire, "concerns")
    text = " ".join(str(item) for item in section.items)
    assert detail(seen) in text and detail(owned) in text and detail(elsewhere) not in text
    assert "[email hidden]" in text  # the new hire is neither CX nor the owner of `seen`
    assert (section.order, section.title) == (50, "My department's concerns")


def test_people_without_a_department_are_told_to_ask_hr(outsider):
    section = _section(outsider, "concerns")
    assert section.empty == "You are not in a department yet. Ask HR to add you to one."


def test_my_open_concerns_lists_what_i_filed_or_follow(new_hire, ambassador, department, cx_lead):
    mine = file_concern(new_hire, department=department, title="Mine")
    followed = file_concern(ambassador, department=department, title="Followed")
    other = file_concern(ambassador, department=department, title="Other")
    done = file_concern(new_hire, department=department, title="Done")
    services.concern_follow(user=new_hire, concern=followed)
    services.concern_decline(user=cx_lead, concern=done, reason="No")
    section = _section(new_hire, "my_concerns")
    text = " ".join(str(item) for item in section.items)
    assert detail(mine) in text and detail(followed) in text
    assert detail(other) not in text and detail(done) not in text
    assert "New" in text  # with its state
    assert section.order == 45


def test_the_profile_lists_what_i_raised_and_what_came_of_it(ambassador, department, cx_lead):
    fixed = file_concern(ambassador, department=department, title="Fixed one")
    services.concern_acknowledge(user=cx_lead, concern=fixed)
    services.concern_resolve(user=cx_lead, concern=fixed, what_we_did=f"Refunded; {PHONE}")
    file_concern(ambassador, department=department, title="Waiting one")
    section = _section(ambassador, "my_concerns_filed", hook=PROFILE_HOOK)
    text = " ".join(str(item) for item in section.items)
    assert "Fixed one" in text and "Refunded; [phone hidden]" in text and "Waiting one" in text
    assert "Resolved" in text


def test_the_home_places_cost_one_query_each_whatever_is_shown(
    new_hire, ambassador, department, django_assert_max_num_queries
):
    for n in range(8):
        concern = file_concern(ambassador, department=department, title=f"Concern {n}")
        services.concern_follow(user=new_hire, concern=concern)
    profile = profile_for(user=new_hire)
    hooks_by_name = {hook.__name__: hook for hook in hooks.get_hooks(HOOK)}
    # One query for each place's concerns; the person's rights (whether they are in the CX
    # team, which decides what is masked) are read once per request, by the navigation first.
    rights_of(new_hire)
    with django_assert_max_num_queries(2):
        hooks_by_name["department_concerns_section"](user=new_hire, profile=profile)
        hooks_by_name["my_concerns_section"](user=new_hire, profile=profile)


def test_the_nav_item_does_not_query(new_hire, django_assert_num_queries):
    [hook] = [h for h in hooks.get_hooks(NAV_HOOK) if h.__name__ == "concerns_nav"]
    with django_assert_num_queries(0):
        item = hook(user=new_hire)
    assert (item.key, item.url, item.label) == ("concerns", LIST, "Concerns")


def test_the_home_page_shows_both_places(client, new_hire, ambassador, department):
    file_concern(ambassador, department=department, title="Visible on the home page")
    client.force_login(new_hire)
    body = client.get("/").content.decode()
    assert "My department&#x27;s concerns" in body or "My department's concerns" in body
    assert "My open concerns" in body
    assert "Visible on the home page" in body


def test_an_owner_department_member_sees_identifiers_in_their_home_place(
    ambassador, cx_lead, billing, department
):
    member = UserFactory(email="biller@example.com", department=billing)
    concern = file_concern(ambassador, department=department, title=f"Owned {EMAIL}")
    services.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    text = " ".join(str(item) for item in _section(member, "concerns").items)
    assert EMAIL in text
