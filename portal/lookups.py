"""Small rows that nearly every page reads and that seldom change, kept in the shared cache.

Who may do what, the site's settings, the reader's own profile, the departments and
touchpoints a filter offers: each is a query or two on every page, and together they cost a
portal page more than its own content (bench/README.md). Kept in Redis, they cost one round
trip each.

A *lookup* is a name and the models it is read from. A save or delete of any of them (or a
change of one of its many-to-many relations) starts a new *generation* of the lookup, and
every value kept under an older one is read again from the database. The generation changes
at the write and again when its transaction commits: the first keeps this process's next read
from an old value, the second drops what a concurrent request read while the write was not
yet visible. A value is kept with the generation it was read under, and both are fetched in
one round trip; a value read inside a transaction that has changed the lookup is not kept,
since the change may yet be rolled back.

Only on a cache that all processes share and that answers faster than the database (Redis):
anywhere else the "lookups" cache is Django's dummy cache, and every lookup reads the database
as if nothing were kept. A process's own memory would not do: a permission taken away must be
gone in every process at once.

Writes that bypass model signals (`QuerySet.update()`, raw SQL, data migrations on historical
models) are not seen; `migrate` starts a new generation of everything when it ends, and
values expire after TIMEOUT seconds in any case.

Written here because no well-kept library does this for a handful of lookups: cache-machine
and cachalot cache whole querysets by table and still pay for compiling every query.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

ALIAS = "lookups"
# How long a value is kept at most, whatever its generation (seconds).
TIMEOUT = 600
T = TypeVar("T")


@dataclass(frozen=True)
class Lookup:
    name: str
    # "app_label.ModelName" of every model the lookup reads.
    models: tuple[str, ...]
    # (model, many-to-many field name) whose additions and removals change what it reads.
    relations: tuple[tuple[str, str], ...] = ()


_registry: dict[str, Lookup] = {}


def register(name: str, *, models: Iterable[str], relations: Iterable[tuple[str, str]] = ()):
    """Declare a lookup (at import time, from the module that reads it). Idempotent."""
    lookup = Lookup(name=name, models=tuple(models), relations=tuple(relations))
    known = _registry.get(name)
    if known is not None and known != lookup:
        raise ValueError(f"The lookup {name!r} is registered twice, differently.")
    _registry[name] = lookup
    if known is None:
        _connect(lookup)
    return lookup


def _cache():
    return caches[ALIAS]


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def remembered(name: str, key: str, load: Callable[[], T]) -> T:
    """The value of `load()` for `key` in the lookup `name`, from the cache when it was read
    under the lookup's current generation, else from `load()` (and kept).

    A value read while this connection's transaction holds an uncommitted change of the
    lookup is not kept: it may yet be rolled back. The cache failing is a miss, never an
    error: the value is read from the database.
    """
    if name not in _registry:
        raise KeyError(f"Register the lookup {name!r} first (portal.lookups.register).")
    cache = _cache()
    generation_key, value_key = _generation_key(name), f"{name}:{key}"
    try:
        found = cache.get_many([generation_key, value_key])
        generation = found.get(generation_key)
        if generation is None:
            generation = uuid.uuid4().hex[:12]
            # add: two processes starting a generation at once agree on one.
            if not cache.add(generation_key, generation, None):
                generation = cache.get(generation_key, generation)
    except Exception:  # noqa: BLE001 - an unreachable cache, or a value no longer unpickled
        logger.warning("The lookups cache failed; reading %s from the database", name, exc_info=1)
        return load()
    kept = found.get(value_key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = load()
    if name not in _uncommitted():
        try:
            cache.set(value_key, (generation, value), TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("The lookups cache failed; %s not kept", name, exc_info=1)
    return value


def forget(name: str) -> None:
    """Start a new generation of `name` now, and again when the current transaction commits.

    Call it where the change is written. If the first fails the write fails with it (its
    transaction is not committed), so no process keeps the old value; the second, after the
    commit, is logged when it fails.
    """
    _bump(name)
    transaction.on_commit(_Renewal(name), robust=True)


def forget_all() -> None:
    for name in _registry:
        _bump(name)


def _bump(name: str) -> None:
    _cache().set(_generation_key(name), uuid.uuid4().hex[:12], None)


class _Renewal:
    """The commit-time renewal of one lookup, recognisable among the connection's pending
    on-commit callbacks: while it waits, the transaction holds an uncommitted change."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _bump(self.name)


def _uncommitted() -> set[str]:
    """The lookups that this connection's open transaction has changed and not committed.

    Django keeps the callbacks of a transaction until it commits and drops those of what was
    rolled back (`run_on_commit`, internal but stable since Django 1.9); a renewal pending
    there is a change not yet visible to anyone else, and perhaps never.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return set()
    return {
        callback.name
        for _savepoints, callback, _robust in connection.run_on_commit
        if isinstance(callback, _Renewal) and not callback.done
    }


# --- what starts a new generation -------------------------------------------------------------


def _connect(lookup: Lookup) -> None:
    from django.apps import apps

    def changed(sender, **kwargs):
        forget(lookup.name)

    def relation_changed(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            forget(lookup.name)

    # Model signals take "app_label.ModelName" and connect once the model is loaded.
    for label in lookup.models:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=label, weak=False, dispatch_uid=(lookup.name, label))

    def connect_relation(model, field_name):
        through = getattr(model, field_name).through
        m2m_changed.connect(
            relation_changed,
            sender=through,
            weak=False,
            dispatch_uid=(lookup.name, model._meta.label, field_name),
        )

    for label, field_name in lookup.relations:
        app_label, model_name = label.split(".")
        apps.lazy_model_operation(
            lambda model, field_name=field_name: connect_relation(model, field_name),
            (app_label, model_name.lower()),
        )


def _after_migrate(**kwargs) -> None:
    # Data migrations write through historical models, which send no signals seen here.
    forget_all()


post_migrate.connect(_after_migrate, dispatch_uid="portal_lookups_after_migrate")
