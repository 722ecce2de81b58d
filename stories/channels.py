"""Where the CX programme posts in Slack (the CX team's and leadership's channels)."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Site

from stories.models import CXSettings


@dataclass(frozen=True)
class Channels:
    cx: str
    leadership: str


def cx_channels() -> Channels:
    """The channels set in the admin (Settings → CX channels); empty strings when unset."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Channels(cx="", leadership="")
    settings = CXSettings.for_site(site)
    return Channels(cx=settings.cx_channel_id, leadership=settings.leadership_channel_id)
