"""The demo's principles: five, in both languages, each with a real case, half-acknowledged."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.principles.demo import PRINCIPLES
from portal.principles.models import Acknowledgement, Principle
from portal.principles.pages import PrinciplePage
from portal.principles.reports import counts_by_principle, principle_report

pytestmark = pytest.mark.django_db


def _state():
    return sorted(
        Acknowledgement.objects.values_list(
            "principle__page__slug", "user__email", "version", "acknowledged_at"
        )
    )


def test_the_demo_publishes_five_principles_in_two_languages_with_a_history(settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    first = _state()
    call_command("demo")
    assert _state() == first
    assert Principle.objects.filter(live=True).count() == len(PRINCIPLES) == 5
    for item in PRINCIPLES:
        english = PrinciplePage.objects.live().get(slug=item.slug, locale__language_code="en")
        assert [b.block_type for b in english.body].count("example_story") == 1, item.slug
        korean = PrinciplePage.objects.get(
            translation_key=english.translation_key, locale__language_code="ko"
        )
        assert korean.get_latest_revision_as_object().statement != english.statement
        # The newest one's Korean translation waits for Leadership.
        assert korean.live != item.ko_awaiting_approval
        if item.ko_awaiting_approval:
            assert korean.workflow_in_progress
    counts = counts_by_principle()
    rows = {row.page.slug: counts[row.pk] for row in principle_report()}
    assert rows["no-limits-to-supporting-clients"].pending == 0
    assert 0 < rows["help-clients-succeed"].pending < rows["help-clients-succeed"].asked
    assert Principle.objects.get(page__slug="remove-the-cause").version == 2
    assert rows["decision-makers-talk-to-customers"].asked < rows["help-clients-succeed"].asked
    assert Acknowledgement.objects.filter(
        user__email="newhire@demo.example", acknowledged_at__isnull=True
    ).exists()
    assert "CX principles: 5 published" in capsys.readouterr().out
