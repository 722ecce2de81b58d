"""portal/fragments.py: rendered HTML kept a page at a time, and the select widget template
that draws options in place."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal import fragments


def test_cached_draws_only_what_it_has_not_kept_in_order():
    drawn: list[list[int]] = []

    def render(items):
        drawn.append(list(items))
        return [f"<b>{item}</b>" for item in items]

    first = fragments.cached([1, 2], key=str, render=render)
    second = fragments.cached([3, 2, 1], key=str, render=render)
    assert drawn == [[1, 2], [3]]
    assert second == ["<b>3</b>", "<b>2</b>", "<b>1</b>"]
    assert all(isinstance(html, SafeString) for html in first + second)
    assert fragments.cached([], key=str, render=render) == []


def test_cached_cells_escape_text_and_keep_html():
    rows = fragments.cached_cells(
        ["<x>"],
        key=lambda item: "row",
        render=lambda item: [item, format_html("<i>{}</i>", item), 3],
    )
    assert rows == [["&lt;x&gt;", "<i>&lt;x&gt;</i>", "3"]]
    # kept: the second read does not call render
    again = fragments.cached_cells(["<x>"], key=lambda item: "row", render=pytest.fail)
    assert again == rows


def test_a_new_generation_changes_the_keys_made_with_it():
    first = fragments.generation("things")
    assert fragments.generation("things") == first
    fragments.bump("things")
    assert fragments.generation("things") not in ("", first)


def test_the_reader_names_language_and_time_zone(settings):
    from django.utils import timezone, translation

    with translation.override("ko"), timezone.override("Asia/Seoul"):
        assert fragments.reader() == "ko:Asia/Seoul"


def test_the_release_digest_is_stable():
    assert fragments.release() == fragments.release()
    assert len(fragments.release()) == 16


class Choosy(forms.Form):
    flavour = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("a", "Apple & <pear>"),
            ("Citrus", [("l", "Lemon"), ("o", "Orange")]),
        ],
        required=False,
    )
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)


@pytest.mark.parametrize("data", [{}, {"flavour": "l", "several": ["1", "2"]}])
def test_the_select_template_draws_what_djangos_own_draws(data):
    """templates/django/forms/widgets/select.html writes Django's option template in place:
    the HTML must be Django's, byte for byte (admin forms use it too)."""
    ours = Choosy(data)  # the project's renderer (TemplatesSetting): our select.html
    djangos = Choosy(data, renderer=DjangoTemplates())  # Django's own templates only
    for name in ("flavour", "several"):
        assert str(ours[name]) == str(djangos[name])
    assert "Apple &amp; &lt;pear&gt;" in str(ours["flavour"])


@pytest.mark.django_db
def test_filter_fields_are_kept_per_value_and_drawn_each_time_with_errors(client, new_hire):
    client.force_login(new_hire)
    first = client.get("/stories/?language=ko").content.decode()
    assert '<option value="ko" selected>' in first
    other = client.get("/stories/?language=en").content.decode()
    assert '<option value="en" selected>' in other and '<option value="ko" selected>' not in other
    wrong = client.get("/stories/?language=xx").content.decode()
    assert "Select a valid choice" in wrong
