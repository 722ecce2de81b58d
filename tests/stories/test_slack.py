"""Stories and concerns from Slack, through the real HTTP path: every request signed as Slack
signs it and sent to /slack/events, every Web API call answered (and recorded) by the local
fake. Modals open after the answer (a lazy listener: the tests wait for the fake to see
`views.open`); what a submission files is filed by a task on commit (run here eagerly)."""

from __future__ import annotations

import time

import pytest

from portal.models import OutboxMessage, Profile
from stories.models import Concern, FeedbackItem, Story
from stories.slack_blocks import (
    CONCERN_MODAL,
    STORY_MODAL,
    TRIAGE_ACKNOWLEDGE,
    TRIAGE_OWNER,
    TRIAGE_SYSTEMIC,
    VOICE_MODAL,
)
from tests.factories import DepartmentFactory
from tests.slack_signing import interaction, slash_command
from tests.stories.test_concern_services import XSS, file_concern, make_touchpoint, set_channels

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"
AMBASSADOR_SLACK = "U0AMBASS01"
CX_SLACK = "U0CXLEAD01"


@pytest.fixture
def slack(slack_live, eager_tasks, ambassador, cx_lead):
    """Slack on, the ambassador and the CX lead linked to their Slack member IDs."""
    Profile.objects.filter(user=ambassador).update(slack_user_id=AMBASSADOR_SLACK)
    Profile.objects.filter(user=cx_lead).update(slack_user_id=CX_SLACK)
    make_touchpoint()
    return slack_live


def _opened(fake, n: int = 1) -> dict:
    return fake.wait_for_calls(n, "views.open")[n - 1].params


def _input(view: dict, block_id: str) -> dict:
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return block


def _state(**values) -> dict:
    """A modal's state as Slack sends it back, from {block_id: value}."""
    state = {}
    for block_id, value in values.items():
        if isinstance(value, list):
            element = {
                "type": "multi_static_select",
                "selected_options": [{"value": str(v)} for v in value],
            }
        elif isinstance(value, dict):
            element = {"type": "static_select", "selected_option": value}
        else:
            element = {"type": "plain_text_input", "value": value}
        state[block_id] = {"value": element}
    return {"values": state}


def _choice(value) -> dict:
    return {"value": str(value)}


def _submit(client, callback_id: str, user_id: str, state: dict, *, view_id="V0001", meta=""):
    payload = {
        "type": "view_submission",
        "team": {"id": "TFAKE", "domain": "demo"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "api_app_id": "AFAKE",
        "trigger_id": "1.2.3",
        "view": {
            "id": view_id,
            "hash": "hash-1",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": meta,
            "state": state,
        },
    }
    return interaction(client, payload, SECRET)


def _concern_state(department, **changes) -> dict:
    values = {
        "title": "Card declined at checkout",
        "description": "The customer tried three cards. Call back on 010-1234-5678.",
        "customer_reference": "ORDER-42",
        "touchpoint_id": _choice(make_touchpoint().pk),
        "department_id": _choice(department.pk),
        "severity": _choice("high"),
        **changes,
    }
    return _state(**values)


# --- the slash commands ---------------------------------------------------------------------


def test_concern_opens_the_modal_at_once_with_the_fresh_trigger(client, slack, department):
    started = time.monotonic()
    response = slash_command(
        client, "/concern", SECRET, user_id=AMBASSADOR_SLACK, text="Checkout is down"
    )
    answered = time.monotonic() - started
    assert response.status_code == 200 and response.content == b""
    opened = _opened(slack)
    assert opened["trigger_id"] == "1337.42.abcd"
    view = opened["view"]
    assert view["callback_id"] == CONCERN_MODAL and view["type"] == "modal"
    assert _input(view, "title")["element"]["initial_value"] == "Checkout is down"
    department_input = _input(view, "department_id")["element"]
    assert department_input["initial_option"]["value"] == str(department.pk)
    assert {o["value"] for o in _input(view, "severity")["element"]["options"]} == {
        "low",
        "medium",
        "high",
        "critical",
    }
    assert answered < 1.5  # Slack's three seconds, with room: the modal opened after it


def test_story_opens_its_modal_in_the_persons_language(client, slack, ambassador):
    Profile.objects.filter(user=ambassador).update(language="ko")
    response = slash_command(client, "/story", SECRET, user_id=AMBASSADOR_SLACK)
    assert response.status_code == 200
    view = _opened(slack)["view"]
    assert view["callback_id"] == STORY_MODAL
    assert (view["title"]["text"], view["submit"]["text"]) == ("이야기 공유하기", "검토 요청")
    assert _input(view, "language")["element"]["initial_option"]["value"] == "ko"


def test_an_unknown_slack_member_is_looked_up_once_by_email_and_told(
    client, slack, new_hire, django_capture_on_commit_callbacks
):
    slack.add_member("U0NEWHIRE1", new_hire.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        response = slash_command(
            client,
            "/concern",
            SECRET,
            user_id="U0NEWHIRE1",
            response_url=slack.response_url("first"),
        )
    assert response.status_code == 200
    assert "finding your portal account" in response.content.decode()  # ephemeral, at once
    assert not slack.calls("views.open")  # nothing to file into yet
    assert Profile.objects.get(user=new_hire).slack_user_id == "U0NEWHIRE1"
    [told] = slack.calls("response.first")
    assert "now linked" in told.params["text"] and told.params["response_type"] == "ephemeral"
    # Remembered: the next command opens the modal, with no lookup.
    slash_command(client, "/concern", SECRET, user_id="U0NEWHIRE1")
    _opened(slack)
    assert len(slack.calls("users.info")) == 1


def test_a_slack_member_with_no_portal_account_is_told_how_to_get_one_and_nothing_is_filed(
    client, slack, django_capture_on_commit_callbacks
):
    slack.add_member("U0STRANGE1", "stranger@elsewhere.example")
    with django_capture_on_commit_callbacks(execute=True):
        slash_command(
            client, "/story", SECRET, user_id="U0STRANGE1", response_url=slack.response_url("x")
        )
    [told] = slack.calls("response.x")
    assert "No portal account" in told.params["text"]
    assert "/accounts/login/|" in told.params["text"]
    assert not slack.calls("views.open") and Story.objects.count() == 0
    # Looked up once: asking again within the hour does not ask Slack again.
    with django_capture_on_commit_callbacks(execute=True):
        slash_command(
            client, "/story", SECRET, user_id="U0STRANGE1", response_url=slack.response_url("y")
        )
    assert len(slack.calls("users.info")) == 1


# --- submitting the modals --------------------------------------------------------------------


def test_bad_input_comes_back_on_its_inputs_and_nothing_is_filed(
    client, slack, department, django_capture_on_commit_callbacks
):
    state = _concern_state(department, title="", severity=None, touchpoint_id=_choice(999999))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _submit(client, CONCERN_MODAL, AMBASSADOR_SLACK, state)
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert answer["errors"]["title"] == "Give the concern a short title."
    assert answer["errors"]["touchpoint_id"] == "Choose where the customer met us."
    assert answer["errors"]["severity"] == "Choose how bad it is."
    assert "description" not in answer["errors"]
    assert not callbacks and Concern.objects.count() == 0


def test_a_concern_is_filed_by_a_task_and_its_author_gets_a_dm_with_a_link(
    client, slack, department, ambassador, django_capture_on_commit_callbacks
):
    set_channels(cx="CCXTEAM01")
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, CONCERN_MODAL, AMBASSADOR_SLACK, _concern_state(department))
    assert response.status_code == 200 and response.content == b""  # the modal closes
    concern = Concern.objects.get()
    assert (concern.submitted_by, concern.severity, concern.customer_reference) == (
        ambassador,
        "high",
        "ORDER-42",
    )
    dm = OutboxMessage.objects.get(idempotency_key=f"stories:concern:{concern.pk}:filed-in-slack")
    assert dm.channel == AMBASSADOR_SLACK
    assert f"/concerns/{concern.pk}/|Card declined at checkout>" in dm.text
    # Delivered through the outbox: posted to the member ID, which Slack makes a DM.
    [posted] = [
        c for c in slack.calls("chat.postMessage") if c.params["channel"] == AMBASSADOR_SLACK
    ]
    assert posted.params["text"] == dm.text
    # The CX channel heard of it, with the controls.
    assert OutboxMessage.objects.get(channel="CCXTEAM01").blocks[-1]["block_id"] == (
        f"triage:{concern.pk}"
    )


def test_a_submission_handled_twice_files_once(
    client, slack, department, django_capture_on_commit_callbacks
):
    state = _concern_state(department)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, CONCERN_MODAL, AMBASSADOR_SLACK, state)
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert _submit(client, CONCERN_MODAL, AMBASSADOR_SLACK, state).status_code == 200
    assert not again
    assert Concern.objects.count() == 1


def test_a_story_is_sent_for_review_from_its_modal(
    client, slack, department, ambassador, django_capture_on_commit_callbacks
):
    state = _state(
        title="Refund with no questions asked",
        what_happened="Charged twice; refunded the same hour.",
        customer_words="I got my money back before my coffee.",
        outcome="They renewed for two years.",
        touchpoint_id=_choice(make_touchpoint().pk),
        department_ids=[department.pk],
        tags="refund, trust",
        language=_choice("en"),
        customer_name="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, STORY_MODAL, AMBASSADOR_SLACK, state)
    assert response.status_code == 200
    story = Story.objects.get()
    assert story.review_status == Story.ReviewStatus.IN_REVIEW
    assert story.submitted_by == ambassador
    assert sorted(t.name for t in story.tags.all()) == ["refund", "trust"]
    assert OutboxMessage.objects.filter(
        idempotency_key=f"stories:story:{story.pk}:filed-in-slack", channel=AMBASSADOR_SLACK
    ).exists()


def test_a_story_names_the_customer_only_with_consent_said_on_the_input(client, slack, department):
    state = _state(
        title="T",
        what_happened="W",
        customer_words="C",
        outcome="O",
        touchpoint_id=_choice(make_touchpoint().pk),
        department_ids=[department.pk],
        language=_choice("en"),
        customer_name="Jane Doe",
    )
    answer = _submit(client, STORY_MODAL, AMBASSADOR_SLACK, state).json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["customer_name"]


# --- the message shortcut ---------------------------------------------------------------------


MESSAGE_TS = "1764660000.000100"


def _shortcut(client, user_id: str, text: str, *, response_url: str = ""):
    payload = {
        "type": "message_action",
        "callback_id": "file_customer_voice",
        "team": {"id": "TFAKE", "domain": "demo"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "channel": {"id": "C0SHARED01", "name": "acme-shared"},
        "message": {
            "type": "message",
            "user": "U0CUSTOMER",
            "text": text,
            "ts": "1764660000.000100",
        },
        "response_url": response_url,
        "trigger_id": "9.8.7",
        "api_app_id": "AFAKE",
    }
    return interaction(client, payload, SECRET)


def test_the_shortcut_opens_a_modal_with_the_words_and_then_their_permalink(
    client, slack, department
):
    words = "Your checkout rejected my card three times & I gave up <!channel>"
    assert _shortcut(client, AMBASSADOR_SLACK, words).status_code == 200
    opened = _opened(slack)
    view = opened["view"]
    assert opened["trigger_id"] == "9.8.7" and view["callback_id"] == VOICE_MODAL
    assert _input(view, "description")["element"]["initial_value"] == words
    assert _input(view, "kind")["element"]["initial_option"]["value"] == "concern"
    # The permalink comes from a task, which draws the modal again with it.
    [asked] = slack.wait_for_calls(1, "chat.getPermalink")
    assert asked.params == {"channel": "C0SHARED01", "message_ts": "1764660000.000100"}
    [update] = slack.wait_for_calls(1, "views.update")
    assert update.params["hash"].startswith("hash-")
    assert "https://fake.slack.com/archives/C0SHARED01/p1764660000000100" in str(
        update.params["view"]
    )


def test_the_shortcuts_words_are_kept_as_feedback_once(
    client, slack, department, django_capture_on_commit_callbacks
):
    meta = (
        '{"kind": "feedback", "channel": "C0SHARED01", "ts": "1764660000.000100", '
        '"permalink": "https://fake.slack.com/archives/C0SHARED01/p1764660000000100"}'
    )
    state = _state(text="Love the new invoices!", language=_choice("en"))
    for view_id in ("V1", "V2"):  # filed twice from two modals: one item
        with django_capture_on_commit_callbacks(execute=True):
            response = _submit(
                client, VOICE_MODAL, AMBASSADOR_SLACK, state, view_id=view_id, meta=meta
            )
        assert response.status_code == 200
    item = FeedbackItem.objects.get()
    assert (item.source, item.external_id) == ("slack", "C0SHARED01:1764660000.000100")
    assert item.link.endswith("/p1764660000000100") and item.text == "Love the new invoices!"


def test_the_shortcut_files_a_concern_with_its_source(
    client, slack, department, django_capture_on_commit_callbacks
):
    meta = '{"kind": "concern", "channel": "C0SHARED01", "ts": "1764660000.000100"}'
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, VOICE_MODAL, AMBASSADOR_SLACK, _concern_state(department), meta=meta)
    concern = Concern.objects.get()
    assert concern.source_url == "https://fake.slack.com/archives/C0SHARED01/p1764660000000100"


# --- triage from Slack ------------------------------------------------------------------------


def _click(client, user_id: str, action: dict, *, response_url: str):
    payload = {
        "type": "block_actions",
        "team": {"id": "TFAKE", "domain": "demo"},
        "user": {"id": user_id, "team_id": "TFAKE"},
        "api_app_id": "AFAKE",
        "trigger_id": "5.5.5",
        "container": {"type": "message", "channel_id": "CCXTEAM01", "message_ts": "1700.1"},
        "channel": {"id": "CCXTEAM01"},
        "message": {"ts": "1700.1", "text": "New concern"},
        "response_url": response_url,
        "actions": [{"block_id": "triage:1", "type": "button", **action}],
    }
    return interaction(client, payload, SECRET)


def test_someone_outside_the_cx_team_is_told_they_cant_and_nothing_changes(
    client, slack, department, ambassador, django_capture_on_commit_callbacks
):
    concern = file_concern(ambassador, department=department)
    with django_capture_on_commit_callbacks(execute=True):
        response = _click(
            client,
            AMBASSADOR_SLACK,
            {"action_id": TRIAGE_ACKNOWLEDGE, "value": str(concern.pk)},
            response_url=slack.response_url("no"),
        )
    assert response.status_code == 200
    [told] = slack.calls("response.no")
    assert "You can't do that" in told.params["text"]
    assert told.params["response_type"] == "ephemeral"
    concern.refresh_from_db()
    assert concern.state == Concern.State.NEW and not slack.calls("chat.update")


def test_the_cx_team_triages_from_the_message_and_it_is_redrawn_in_place(
    client, slack, department, ambassador, cx_lead, django_capture_on_commit_callbacks
):
    concern = file_concern(ambassador, department=department, title=XSS)
    billing = DepartmentFactory(name="Billing", slug="billing-team")
    for action in (
        {"action_id": TRIAGE_ACKNOWLEDGE, "value": str(concern.pk)},
        {"action_id": TRIAGE_SYSTEMIC, "value": str(concern.pk)},
        {
            "action_id": TRIAGE_OWNER,
            "type": "static_select",
            "selected_option": {"value": f"{concern.pk}:{billing.pk}"},
        },
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert _click(client, CX_SLACK, action, response_url="").status_code == 200
    concern.refresh_from_db()
    assert concern.state == Concern.State.ACKNOWLEDGED
    assert (concern.kind, concern.owner_department) == (Concern.Kind.SYSTEMIC, billing)
    updates = slack.calls("chat.update")
    assert len(updates) == 3
    last = updates[-1].params
    assert (last["channel"], last["ts"]) == ("CCXTEAM01", "1700.1")
    blocks = str(last["blocks"])
    assert "Owner: Billing" in blocks and "Owner set by" in blocks and str(cx_lead) in blocks
    assert "<!channel>" not in blocks and "&lt;!channel&gt;" in blocks
    controls = last["blocks"][-1]
    assert TRIAGE_ACKNOWLEDGE not in str(controls)  # acknowledged: no such button any more


# --- requests that are not Slack's ------------------------------------------------------------


def test_a_forged_or_stale_command_gets_401_and_opens_nothing(client, slack, department):
    forged = slash_command(client, "/concern", "not-the-secret", user_id=AMBASSADOR_SLACK)
    stale = slash_command(
        client,
        "/concern",
        SECRET,
        user_id=AMBASSADOR_SLACK,
        timestamp=str(int(time.time()) - 6 * 60),
    )
    assert (forged.status_code, stale.status_code) == (401, 401)
    time.sleep(0.3)  # a modal that should not open would have by now
    assert slack.calls("views.open") == []


def test_in_preview_mode_a_command_says_the_app_is_not_connected(client, settings, slack_fake):
    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_SIGNING_SECRET = SECRET
    settings.SLACK_API_URL = slack_fake.url
    response = slash_command(client, "/story", SECRET, user_id=AMBASSADOR_SLACK)
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert "not connected" in answer["text"] and "nothing was filed" in answer["text"]
    assert slack_fake.calls() == []


def test_mentions_typed_into_a_concern_reach_nobody(
    client, slack, department, django_capture_on_commit_callbacks
):
    set_channels(cx="CCXTEAM01")
    state = _concern_state(department, title="<!channel> <@U0123ABCD> & <https://evil|x>")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, CONCERN_MODAL, AMBASSADOR_SLACK, state)
    for message in OutboxMessage.objects.all():
        text = message.text + str(message.blocks)
        assert "<!channel>" not in text and "<@U0123ABCD>" not in text
        assert "<https://evil|x>" not in text
        assert "&lt;!channel&gt; &lt;@U0123ABCD&gt; &amp;" in text


# --- the daily voice's buttons and reactions ----------------------------------------------------


def _voice_for(department):
    from stories.services.voice import voice_send

    department.slack_channel_id = "CVOICE001"
    department.save()
    FeedbackItem.objects.create(
        source="survey",
        external_id="v-1",
        received_at="2026-01-05T09:00:00Z",
        text="Paying took three tries <!here>",
        language="en",
        department=department,
        touchpoint=make_touchpoint(),
    )
    return voice_send(department=department)


def test_thanks_for_sharing_is_counted_once_and_the_person_told(
    client, slack, department, django_capture_on_commit_callbacks
):
    from stories.voice_blocks import VOICE_THANKS

    voice = _voice_for(department)
    for name in ("first", "second"):
        with django_capture_on_commit_callbacks(execute=True):
            response = _click(
                client,
                AMBASSADOR_SLACK,
                {"action_id": VOICE_THANKS, "value": str(voice.pk)},
                response_url=slack.response_url(name),
            )
        assert response.status_code == 200
    voice.refresh_from_db()
    assert voice.thanks_count == 1
    assert "was counted" in slack.calls("response.first")[0].params["text"]
    assert "already" in slack.calls("response.second")[0].params["text"]


def test_well_look_into_it_opens_the_concern_modal_prefilled_and_the_department_owns_it(
    client, slack, department, ambassador, django_capture_on_commit_callbacks
):
    from stories.voice_blocks import VOICE_LOOK_INTO

    Profile.objects.filter(user=ambassador).update(department=department)
    voice = _voice_for(department)
    with django_capture_on_commit_callbacks(execute=True):
        response = _click(
            client,
            AMBASSADOR_SLACK,
            {"action_id": VOICE_LOOK_INTO, "value": str(voice.pk)},
            response_url="",
        )
    assert response.status_code == 200
    view = _opened(slack)["view"]
    assert view["callback_id"] == CONCERN_MODAL
    assert _input(view, "title")["element"]["initial_value"].startswith("Paying took three tries")
    description = _input(view, "description")["element"]["initial_value"]
    assert f"/voices/feedback/{voice.feedback_id}/" in description
    department_select = _input(view, "department_id")["element"]["initial_option"]
    assert department_select["value"] == str(department.pk)
    voice.refresh_from_db()
    assert voice.look_into_count == 1
    state = _state(
        title="Paying took three tries",
        description=description,
        customer_reference="",
        touchpoint_id=_choice(make_touchpoint().pk),
        department_id=_choice(department.pk),
        severity=_choice("high"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        submitted = _submit(
            client, CONCERN_MODAL, AMBASSADOR_SLACK, state, meta=view["private_metadata"]
        )
    assert submitted.status_code == 200
    concern = Concern.objects.get(title="Paying took three tries")
    assert concern.owner_department == department


def test_an_emoji_on_the_voice_is_counted_and_taken_back(
    client, slack, department, django_capture_on_commit_callbacks
):
    from portal.services.outbox import outbox_deliver
    from tests.slack_signing import signed_post

    voice = _voice_for(department)
    message = outbox_deliver(message_id=voice.outbox_message_id)
    assert message.state == OutboxMessage.State.SENT

    def react(kind: str, event_id: str):
        event = {
            "type": kind,
            "user": AMBASSADOR_SLACK,
            "reaction": "heart",
            "item": {"type": "message", "channel": "CVOICE001", "ts": message.slack_ts},
        }
        payload = {"type": "event_callback", "event_id": event_id, "event": event, "team_id": "T"}
        with django_capture_on_commit_callbacks(execute=True):
            assert signed_post(client, "/slack/events", payload, SECRET).status_code == 200

    react("reaction_added", "Ev1")
    voice.refresh_from_db()
    assert voice.reaction_count == 1
    react("reaction_removed", "Ev2")
    voice.refresh_from_db()
    assert voice.reaction_count == 0
