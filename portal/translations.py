"""Pages in several languages: each person reads their own, or the default language's."""

from __future__ import annotations

from django.http import Http404
from wagtail.models import Locale


class FallbackRouteMixin:
    """Route a path the translation in this language lacks through the default language's page.

    Wagtail routes a request through the site's root page in the active language; a page not
    (yet) translated, or whose translation is a draft, is then found in the default language.
    """

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            default = Locale.get_default()
            if self.locale_id == default.pk:
                raise
            source = self.get_translation_or_none(default)
            if source is None or not source.live:
                raise
            return source.specific.route(request, path_components)
