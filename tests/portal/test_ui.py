import re

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import format_html
from wagtail import hooks

from portal import ui
from portal.ui import Column, NavItem

rf = RequestFactory()


def _render(source: str, request=None, **context) -> str:
    template = Template("{% load portal_ui %}" + source)
    context = Context({"request": request or rf.get("/"), **context})
    return template.render(context)


# --- simple components -------------------------------------------------------------------


def test_card_escapes_its_text_and_lists_items():
    html = render_to_string(
        "components/card.html",
        {"id": "section-x", "title": "<b>Mine</b>", "items": ["<i>one</i>", "two"], "empty": "E"},
    )
    assert "&lt;b&gt;Mine&lt;/b&gt;" in html
    assert "<li>&lt;i&gt;one&lt;/i&gt;</li>" in html
    assert 'id="section-x"' in html and 'aria-labelledby="section-x-title"' in html
    assert "E" not in re.sub(r"<[^>]+>", "", html).split()


def test_card_without_items_shows_its_empty_state():
    html = render_to_string("components/card.html", {"title": "T", "items": [], "empty": "<none>"})
    assert 'class="empty-state"' in html
    assert "&lt;none&gt;" in html


def test_badge_escapes_and_keeps_its_state_a_class_name():
    html = render_to_string("components/badge.html", {"text": "<x>", "state": 'bad" onclick="x'})
    assert "&lt;x&gt;" in html
    assert "onclick" not in html.replace("badge-bad-onclickx", "")


def test_progress_is_a_labelled_native_bar_without_inline_style():
    html = render_to_string("components/progress.html", {"value": 3, "max": 10, "label": "Mods"})
    assert '<progress value="3" max="10" aria-label="Mods">' in html
    assert "3 of 10" in html
    assert "style=" not in html


def test_messages_mark_errors_as_alerts():
    html = render_to_string(
        "components/messages.html",
        {"messages": [_Message("success", "Saved <ok>"), _Message("error", "Failed")]},
    )
    # The role sits inside the item: on the <li> it would replace the list-item role (axe).
    assert 'class="message message-success"><span role="status">Saved &lt;ok&gt;</span>' in html
    assert 'class="message message-error"><span role="alert">Failed</span>' in html


class _Message:
    def __init__(self, level_tag, text):
        self.level_tag, self.text = level_tag, text

    def __str__(self):
        return self.text


def test_empty_state_offers_its_action():
    html = render_to_string(
        "components/empty_state.html",
        {"text": "Nothing yet.", "action_url": "/new/", "action_label": "File one"},
    )
    assert '<p class="empty">Nothing yet.</p>' in html
    assert '<a class="button button-secondary" href="/new/">File one</a>' in html


# --- forms ---------------------------------------------------------------------------------


class _Form(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="As on your badge.")
    note = forms.CharField(required=False)
    agree = forms.BooleanField(label="I agree")
    colour = forms.ChoiceField(
        choices=[("g", "Green"), ("b", "Blue")], widget=forms.RadioSelect, help_text="Pick one."
    )

    def clean(self):
        raise forms.ValidationError("Something <odd> as a whole.")


def test_field_marks_required_and_puts_errors_beside_it():
    form = _Form(data={"name": ""})
    form.is_valid()
    html = render_to_string("components/field.html", {"field": form["name"]})
    assert "Name &lt;b&gt;" in html
    assert '<span class="required" aria-hidden="true"> *</span>' in html
    assert 'id="id_name_helptext"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html
    # The error comes after the widget, beside it, not at the top of the form.
    assert html.index("<input") < html.index('id="id_name_error"')


def test_optional_field_has_no_required_mark_and_checkbox_label_follows_box():
    form = _Form()
    assert 'class="required"' not in render_to_string(
        "components/field.html", {"field": form["note"]}
    )
    checkbox = render_to_string("components/field.html", {"field": form["agree"]})
    assert checkbox.index('type="checkbox"') < checkbox.index("<label")


def test_radio_buttons_are_a_fieldset_named_by_its_legend():
    form = _Form(data={})
    form.is_valid()
    html = render_to_string("components/field.html", {"field": form["colour"]})
    assert html.lstrip().startswith('<fieldset class="field field-invalid"')
    assert 'aria-describedby="id_colour_helptext id_colour_error"' in html
    assert "<legend>Colour" in html and '<label for="id_colour"' not in html
    assert 'id="id_colour_error"' in html


def test_form_shows_non_field_errors_fields_and_submit():
    form = _Form(data={"name": "x", "agree": "on", "colour": "g"})
    form.is_valid()
    html = render_to_string(
        "components/form.html", {"form": form, "submit_label": "Send"}, request=rf.get("/")
    )
    assert 'class="form-errors" role="alert"' in html
    assert "Something &lt;odd&gt; as a whole." in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.count('class="field') == 4
    assert '<button class="button button-primary" type="submit">Send</button>' in html


# --- tables, sorting, pagination -----------------------------------------------------------


def test_sort_param_accepts_only_listed_keys():
    allowed = ["name", "date"]
    assert ui.sort_param(rf.get("/?sort=-date"), allowed) == "-date"
    assert ui.sort_param(rf.get("/?sort=name"), allowed, "-date") == "name"
    assert ui.sort_param(rf.get("/?sort=password"), allowed, "-date") == "-date"
    assert ui.sort_param(rf.get("/?sort=-"), allowed, "name") == "name"
    assert ui.sort_param(rf.get("/"), allowed) == ""


COLUMNS = [Column("name", "Name", sortable=True), Column("state", "State"), Column("n", "N", True)]


def test_table_headers_link_to_sorts_keeping_other_params_and_say_aria_sort():
    request = rf.get("/?q=a+b&page=3&sort=name")
    html = _render(
        "{% data_table columns rows sort=sort %}",
        request,
        columns=COLUMNS,
        rows=[["<Ann>", "open", 1]],
        sort="name",
    )
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort" href="?q=a+b&amp;sort=-name">'
        in html
    )
    assert '<th scope="col">State</th>' in html  # not sortable: no link, no aria-sort
    assert 'href="?q=a+b&amp;sort=n"' in html
    assert html.count("aria-sort=") == 1
    assert "<tr><td>&lt;Ann&gt;</td><td>open</td><td>1</td></tr>" in html

    html = _render("{% data_table columns rows sort='-name' %}", request, columns=COLUMNS, rows=[])
    assert 'aria-sort="descending"><a class="sort" href="?q=a+b&amp;sort=name">' in html
    assert 'colspan="3" class="empty">Nothing to show.' in html


def test_table_cells_keep_html_made_safe_and_escape_the_rest():
    columns = [Column("name", "Name"), Column("note", "Note"), Column("n", "N", numeric=True)]
    html = _render(
        "{% data_table columns rows %}",
        columns=columns,
        rows=[[format_html("<a href='/x'>{}</a>", "<b>"), "<!channel>", 1234]],
    )
    assert "<td><a href='/x'>&lt;b&gt;</a></td><td>&lt;!channel&gt;</td>" in html
    assert '<td class="numeric">1234</td>' in html


def test_pagination_links_keep_the_other_params():
    page = Paginator(range(200), 10).page(10)
    html = _render("{% pagination page %}", rf.get("/?q=x&sort=-name&page=10"), page=page)
    assert 'href="?q=x&amp;sort=-name&amp;page=9" rel="prev"' in html
    assert 'href="?q=x&amp;sort=-name&amp;page=11" rel="next"' in html
    assert '<a href="?q=x&amp;sort=-name&amp;page=10" aria-current="page">10</a>' in html
    assert 'page=1"' in html and 'page=20"' in html  # the ends
    assert 'page=5"' not in html  # far pages are a gap
    assert html.count('class="gap"') == 2


def test_pagination_is_not_drawn_for_one_page_and_the_table_includes_it():
    one = Paginator(range(5), 10).page(1)
    assert "pagination" not in _render("{% pagination page %}", page=one)
    page = Paginator(range(30), 10).page(1)
    html = _render("{% data_table columns rows page=page %}", columns=COLUMNS, rows=[], page=page)
    assert 'class="pagination"' in html
    assert 'rel="prev"' not in html and 'href="?page=2" rel="next"' in html


# --- charts --------------------------------------------------------------------------------


def test_bar_chart_is_an_accessible_svg_whose_bars_scale():
    html = _render(
        "{% bar_chart data title=title %}", data=[("Jan", 10), ("Feb", 5)], title="NPS <by month>"
    )
    assert 'role="img"' in html
    title_id = re.search(r'aria-labelledby="([^"]+)"', html)[1]
    assert f'<title id="{title_id}">NPS &lt;by month&gt;</title>' in html
    heights = [
        float(h) for h in re.findall(r'<rect class="chart-bar" [^>]*height="([\d.]+)"', html)
    ]
    assert heights[0] == pytest.approx(ui.PLOT_H)  # the tallest bar fills the plot (0..10)
    assert heights[1] == pytest.approx(heights[0] / 2)
    # The numbers for screen readers, in a table.
    assert '<th scope="row">Feb</th><td>5</td>' in html
    assert "style=" not in html


def test_negative_values_grow_down_from_zero():
    chart = ui.chart([("A", -20), ("B", 40)], kind="bar")
    a, b = chart["points"]
    assert a["negative"] and a["y"] == chart["zero"]
    assert b["y"] + b["height"] == pytest.approx(chart["zero"])
    assert b["height"] == pytest.approx(2 * a["height"], abs=0.05)
    assert chart["ticks"][0]["value"] == "-20"


def test_line_chart_draws_a_line_through_its_points():
    html = _render("{% line_chart data title='Rating' unit='%' %}", data=[("a", 1), ("b", 3.5)])
    assert '<polyline class="chart-line" points="' in html
    assert html.count('<circle class="chart-point"') == 2
    assert "<td>3.5%</td>" in html


def test_chart_without_data_says_so():
    html = _render("{% bar_chart data title='T' empty='No answers yet.' %}", data=[])
    assert "<svg" not in html
    assert '<p class="empty">No answers yet.</p>' in html


def test_ticks_are_round_and_cover_the_range():
    assert ui.nice_ticks(0, 10) == [0, 2.5, 5, 7.5, 10]
    assert ui.nice_ticks(0, 93) == [0, 25, 50, 75, 100]
    assert ui.nice_ticks(-100, 100) == [-100, -50, 0, 50, 100]
    assert ui.nice_ticks(0, 0) == [0, 0.25, 0.5, 0.75, 1]


# --- navigation and pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_nav_shows_registered_items_and_marks_the_current_page(client, new_hire):
    def stories(*, user):
        return NavItem(key="stories", label="Stories <all>", url="/profile/x", order=5)

    client.force_login(new_hire)
    with hooks.register_temporarily(ui.NAV_HOOK, stories):
        body = client.get("/profile/").content.decode()
    nav = body[body.index('<nav class="main-nav"') : body.index("</nav>")]
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    # The installed apps' own items come after "My profile" (their order is above 10).
    assert labels[:3] == ["Home", "Stories &lt;all&gt;", "My profile"]
    assert '<a href="/profile/" aria-current="page">' in nav
    assert '<a href="/">Home</a>' in nav  # home is current only on itself


@pytest.mark.django_db
def test_home_draws_sections_as_cards_with_empty_states(client, new_hire):
    client.force_login(new_hire)
    body = client.get("/").content.decode()
    assert '<section class="card" id="section-principles"' in body
    assert '<a href="#section-principles">' in body
    assert 'class="empty-state"' in body


ASSETS = re.compile(r'<link rel="stylesheet"|<script [^>]*src=')
TAG_URLS = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="([^"]*)"')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/profile/", "/accounts/login/", "/accounts/password/reset/"]
)
def test_pages_load_at_most_two_assets_all_from_the_portal(client, new_hire, path):
    if not path.startswith("/accounts/"):
        client.force_login(new_hire)
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert len(ASSETS.findall(body)) <= 2
    urls = TAG_URLS.findall(body)
    assert urls
    assert [url for url in urls if re.match(r"(?:https?:)?//", url)] == []
    assert " style=" not in body and "<style" not in body


@pytest.mark.django_db
def test_sign_in_uses_the_portal_form_components(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<main id="main" class="entrance">' in body
    assert '<label for="id_login">' in body
    assert 'class="button button-primary"' in body
    response = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})
    assert 'class="form-errors" role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_profile_form_uses_the_field_component(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/profile/", {"language": "en", "timezone": "Mars/Olympus"})
    body = response.content.decode()
    assert 'class="field field-invalid"' in body
    assert 'aria-describedby="id_timezone_helptext id_timezone_error"' in body
