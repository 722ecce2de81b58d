"""Every route the project serves, as written in its URL patterns, for tests that walk them."""

from django.urls import URLPattern, URLResolver, get_resolver


def all_routes(patterns=None, prefix: str = ""):
    """Yield each route, e.g. "admin/users/edit/<str:pk>/", including its parents' prefixes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)
