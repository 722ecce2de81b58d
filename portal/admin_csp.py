"""Wagtail's chooser widgets without their inline start-up script (the CSP forbids those).

Wagtail 8's BaseChooser.render writes `<script>new ImageChooser(…)</script>` from Python, so
no template override reaches it (the date widgets and inline panels are handled by templates
in templates/wagtailadmin/). This renders the same widget with the same constructor and
options as data on a hidden marker, which portal/static/portal/admin-csp.js starts while the
page is parsed — it must be before Wagtail's menu script moves the chooser's buttons at load.
Installed from PortalConfig.ready(); a Wagtail upgrade that changes render() needs a look here
(tests/e2e/test_voices.py checks the story editor's choosers under the CSP).
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser


def _render_without_inline_script(self, name, value, attrs=None, renderer=None):
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as exc:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from exc
    value_data = self.get_value_data(value)
    return format_html(
        '{}<span hidden data-portal-init="Chooser" data-portal-constructor="{}" '
        'data-portal-for="{}" data-portal-options="{}"></span>',
        mark_safe(self.render_html(name, value_data, attrs)),  # noqa: S308 (Wagtail's own HTML)
        self.js_constructor,
        id_,
        json.dumps(self.get_js_init_options(id_, name, value_data)),
    )


def install() -> None:
    BaseChooser.render = _render_without_inline_script
