"""Rendered HTML kept in the "fragments" cache, fetched a page at a time.

A list page draws the same cards for everyone who reads it in the same language; drawing them
with the template engine costs more than every query of the page together (bench/README.md).
So a page asks the cache for all its fragments in one round trip and draws only those it did
not find. A fragment's key names everything it shows (the row's version, the reader's
language and time zone, what the reader may see), so a cached fragment is never of the wrong
thing: it is just not used any more when what it showed changes.

What a key cannot name (a department renamed shows on every story card of that department) is
covered by a *generation*: `bump(name)` (from a signal) starts a new one and every key made with
`generation(name)` changes with it.

Written here rather than with Django's `{% cache %}` tag, which asks the cache once per fragment
(twenty round trips for a page of twenty cards) and cannot tell the view which rows it still
has to prefetch for.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

ALIAS = "fragments"
T = TypeVar("T")


def _cache():
    return caches[ALIAS]


@functools.cache
def release() -> str:
    """A digest of the project's templates, in every key: a deploy that changes how something
    is drawn does not meet fragments drawn the old way (the others expire within the hour)."""
    sha = hashlib.blake2b(digest_size=8)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            sha.update(str(path.relative_to(directory)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> str:
    """The current generation of `name`, made on first use (the same in every process that
    shares the cache)."""
    key = _generation_key(name)
    value = _cache().get(key)
    if value is None:
        _cache().add(key, uuid.uuid4().hex[:12], None)  # add: two processes starting agree
        value = _cache().get(key) or ""
    return value


def bump(name: str) -> None:
    """Start a new generation of `name`: fragments keyed with the old one are not used again."""
    _cache().set(_generation_key(name), uuid.uuid4().hex[:12], None)


def reader() -> str:
    """What of the reader shows in any fragment: their language and time zone."""
    return f"{translation.get_language() or ''}:{timezone.get_current_timezone_name()}"


def digest(*parts: object) -> str:
    """A short key for a fragment that depends on many values (a form and its choices)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached(
    items: Sequence[T],
    *,
    key: Callable[[T], str],
    render: Callable[[list[T]], list[str]],
) -> list[SafeString]:
    """The fragment of each item, in order: one cache read for all, and `render` called once
    with the items not found (in order; it returns their HTML, escaped as a template would)."""
    html = kept(items, key=key, render=lambda missing: [str(text) for text in render(missing)])
    return [mark_safe(text) for text in html]  # noqa: S308 - HTML drawn by our templates


def cached_cells(
    items: Sequence[T],
    *,
    key: Callable[[T], str],
    render: Callable[[T], list],
) -> list[list[SafeString]]:
    """A table's rows, each a list of cells, kept like `cached` fragments; `render` gives one
    item's cells (text is escaped here, HTML made with format_html kept as it is)."""
    rows = kept(
        items,
        key=key,
        render=lambda missing: [[str(conditional_escape(c)) for c in render(i)] for i in missing],
    )
    return [[mark_safe(cell) for cell in row] for row in rows]  # noqa: S308 - escaped above


def kept(
    items: Sequence[T],
    *,
    key: Callable[[T], str],
    render: Callable[[list[T]], list],
) -> list:
    """What `render` made of each item, kept in the cache under `key(item)` (with the release)."""
    keys = [f"{release()}:{key(item)}" for item in items]
    found = _cache().get_many(keys) if keys else {}
    missing = [(k, item) for k, item in zip(keys, items, strict=True) if k not in found]
    if missing:
        drawn = render([item for _k, item in missing])
        fresh = {k: value for (k, _item), value in zip(missing, drawn, strict=True)}
        _cache().set_many(fresh)
        found.update(fresh)
    return [found[k] for k in keys]


def kept_for_the_hour(name: str, *, generation_of: str, compute: Callable[[], T], now) -> T:
    """One value (a report's counts) kept under the current generation of `generation_of` and
    the hour of `now`: counted again after a write starts a new generation, and every hour."""
    wanted = f"{name}:{generation(generation_of)}:{now:%Y%m%d%H}"
    return kept([wanted], key=lambda k: k, render=lambda _missing: [compute()])[0]


def clear() -> None:
    """Forget every fragment and generation (tests)."""
    _cache().clear()
