"""portal/slack/blocks.py and text.py: what people typed kept within Block Kit's limits,
escaped, and read back from a submitted modal; a service's errors on the right inputs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.slack import blocks as kit
from portal.slack.text import cut, fit


def test_a_prefilled_text_longer_than_slack_takes_is_cut_with_an_ellipsis():
    block = kit.text_input("description", "What happened", multiline=True, initial="word " * 2000)
    value = block.to_dict()["element"]["initial_value"]
    assert len(value) <= 3000 and value.endswith("…")


def test_labels_options_and_titles_are_cut_to_slacks_lengths():
    long = "Department with a very long name " * 10
    option = kit.option(long, 1).to_dict()
    assert len(option["text"]["text"]) <= 75 and option["value"] == "1"
    view = kit.modal(
        callback_id="x",
        title="A title much longer than twenty-four",
        blocks=[kit.select("department_id", long * 100, [kit.option(long, 1)])],
    )
    assert len(view["title"]["text"]) <= 24
    assert len(view["blocks"][0]["label"]["text"]) <= 2000


def test_a_modal_keeps_ids_in_its_metadata_never_text():
    with pytest.raises(ValueError):
        kit.modal(
            callback_id="x",
            title="t",
            blocks=[kit.text_input("a", "A")],
            private_metadata="x" * 3001,
        )


def test_fit_escapes_first_and_cuts_outside_an_escape_with_a_link():
    text = fit("<!channel> & " * 400, 300, more_url="https://portal/c/1", more_label="Read it all")
    assert len(text) <= 300
    assert text.endswith(" <https://portal/c/1|Read it all>")
    assert "<!channel>" not in text and not text.split(" <https")[0].endswith("&am")
    assert fit("short & sweet", 100) == "short &amp; sweet"
    assert cut("one two three", 8) == "one two…"
    assert cut("one two three", 6) == "one…"


def test_a_submitted_modal_reads_back_by_block_id():
    view = {
        "state": {
            "values": {
                "title": {"value": {"type": "plain_text_input", "value": "T"}},
                "empty": {"value": {"type": "plain_text_input", "value": None}},
                "severity": {
                    "value": {"type": "static_select", "selected_option": {"value": "high"}}
                },
                "none": {"value": {"type": "static_select", "selected_option": None}},
                "departments": {
                    "value": {"type": "multi_static_select", "selected_options": [{"value": "3"}]}
                },
                "consent": {"value": {"type": "checkboxes", "selected_options": []}},
            }
        }
    }
    assert kit.submitted(view) == {
        "title": "T",
        "empty": "",
        "severity": "high",
        "none": None,
        "departments": ["3"],
        "consent": [],
    }


def test_service_errors_land_on_their_inputs_and_the_rest_on_the_fallback():
    error = ValidationError(
        {"title": ["Give a title."], "image": ["Too big."], "severity": ["No."]}
    )
    assert kit.errors_for(error, ["title", "severity"], fallback="title") == {
        "title": "Give a title. Too big.",
        "severity": "No.",
    }
    assert kit.errors_for(ValidationError("Nope."), ["title"], fallback="title") == {
        "title": "Nope."
    }
