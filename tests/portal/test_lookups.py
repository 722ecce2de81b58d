"""portal/lookups.py: small rows kept in the shared cache until what they are read from changes;
and what the portal keeps there: permissions and groups, the site's settings, the reader's
profile. A kept value is never older than the last change its lookup was told of, and never
one that a transaction may still roll back.

Tests run inside a transaction that never commits; `kept_lookups.commit()` does what a commit
does to the lookups (it renews those the transaction changed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import RequestFactory

from portal import groups, lookups
from portal.auth import group_names, rights_of
from portal.models import Department, PortalSettings, Profile, User
from portal.selectors import viewer_profile
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

DEPARTMENTS = lookups.register("test-departments", models=("portal.Department",))
MEMBERS = lookups.register("test-members", models=(), relations=(("portal.User", "groups"),))
ROOT = Path(__file__).resolve().parents[2]


def _names() -> list[str]:
    return list(Department.objects.order_by("name").values_list("name", flat=True))


def _remembered_names(loads: list) -> list[str]:
    def load():
        loads.append(1)
        return _names()

    return lookups.remembered(DEPARTMENTS.name, "names", load)


def test_a_value_is_read_once_and_again_after_a_change(kept_lookups, django_assert_num_queries):
    DepartmentFactory(name="Billing", slug="billing")
    kept_lookups.commit()
    loads = []
    assert _remembered_names(loads) == ["Billing"]
    with django_assert_num_queries(0):
        assert _remembered_names(loads) == ["Billing"]
    DepartmentFactory(name="Sales", slug="sales")  # a save starts a new generation
    assert _remembered_names(loads) == ["Billing", "Sales"]
    kept_lookups.commit()
    Department.objects.get(slug="billing").delete()
    assert _remembered_names(loads) == ["Sales"]
    assert len(loads) == 3


def test_nothing_read_over_an_uncommitted_change_is_kept(kept_lookups):
    loads = []
    DepartmentFactory(name="Billing", slug="billing")
    # The test's transaction has not committed the department: what is read now is not kept.
    assert _remembered_names(loads) == ["Billing"]
    assert _remembered_names(loads) == ["Billing"]
    assert len(loads) == 2
    kept_lookups.commit()
    assert _remembered_names(loads) == ["Billing"]
    assert _remembered_names(loads) == ["Billing"]
    assert len(loads) == 3


def test_a_rolled_back_change_leaves_nothing_kept(kept_lookups):
    loads = []
    assert _remembered_names(loads) == []
    with pytest.raises(RuntimeError), transaction.atomic():
        DepartmentFactory(name="Billing", slug="billing")
        assert _remembered_names(loads) == ["Billing"]  # seen inside, not kept
        raise RuntimeError("rolled back")
    # The department is gone, and so is every trace of it in the cache.
    assert _remembered_names(loads) == []
    assert _remembered_names(loads) == []
    assert len(loads) == 3


def test_a_change_renews_the_lookup_at_once_and_again_when_it_commits(
    kept_lookups, django_capture_on_commit_callbacks
):
    loads = []
    _remembered_names(loads)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        DepartmentFactory(name="Billing", slug="billing")
    generation = kept_lookups.cache.get("generation:test-departments")
    [renewal] = [
        c for c in callbacks if isinstance(c, lookups._Renewal) and c.name == DEPARTMENTS.name
    ]
    renewal()  # the commit: a request elsewhere may have kept what it read before it
    assert kept_lookups.cache.get("generation:test-departments") not in (None, generation)
    assert _remembered_names(loads) == ["Billing"]
    assert len(loads) == 2


def test_a_many_to_many_change_renews_from_either_side(kept_lookups, outsider):
    loads = []

    def members():
        loads.append(1)
        return sorted(outsider.groups.values_list("name", flat=True))

    kept_lookups.commit()
    assert lookups.remembered(MEMBERS.name, "x", members) == []
    assert lookups.remembered(MEMBERS.name, "x", members) == []
    outsider.groups.add(Group.objects.get(name=groups.HR))
    kept_lookups.commit()
    assert lookups.remembered(MEMBERS.name, "x", members) == [groups.HR]
    Group.objects.get(name=groups.HR).user_set.remove(outsider)  # from the other side too
    kept_lookups.commit()
    assert lookups.remembered(MEMBERS.name, "x", members) == []
    assert len(loads) == 3


def test_migrate_forgets_everything(kept_lookups):
    loads = []
    _remembered_names(loads)
    lookups._after_migrate()  # data migrations send no signals seen here
    _remembered_names(loads)
    assert len(loads) == 2


def test_an_evicted_generation_only_means_reading_again(kept_lookups):
    loads = []
    _remembered_names(loads)
    kept_lookups.cache.delete("generation:test-departments")
    _remembered_names(loads)
    _remembered_names(loads)
    assert len(loads) == 2


def test_a_cache_that_fails_is_a_miss_not_an_error(kept_lookups, monkeypatch):
    loads = []

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(kept_lookups.cache, "get_many", broken)
    assert _remembered_names(loads) == []
    assert _remembered_names(loads) == []
    assert len(loads) == 2


def test_lookups_are_registered_before_use_and_once():
    with pytest.raises(KeyError):
        lookups.remembered("never-registered", "x", list)
    assert lookups.register("test-departments", models=("portal.Department",)) == DEPARTMENTS
    with pytest.raises(ValueError):
        lookups.register("test-departments", models=("portal.Profile",))


def test_every_process_registers_the_portals_lookups_when_it_starts():
    # A worker that changes a profile must renew the lookup even if it never drew a page: the
    # apps' ready() imports what registers them. A fresh interpreter, with only django.setup().
    script = (
        "import django; django.setup(); from portal import lookups; "
        "print(' '.join(sorted(lookups._registry)))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings", "PATH": "/usr/bin:/bin", "DEBUG": "1"}
    env["SECRET_KEY"] = "test-only-secret-key-for-a-subprocess-0123456789-abcdefghijklmnop"
    env["VAR_DIR"] = str(ROOT / "var" / "test")
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    assert set(found.stdout.split()) == {
        "admin-sidebar",
        "auth",
        "concerns",
        "onboarding-enrolled",
        "onboarding-filter-choices",
        "onboarding-learner-pages",
        "site-settings",
        "stories",
        "stories-choices",
        "viewer-profile",
    }


def test_without_a_shared_cache_nothing_is_kept(settings):
    # Anywhere but on Redis the lookups cache is Django's dummy cache (portal/settings.py).
    settings.CACHES = {
        **settings.CACHES,
        "lookups": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    loads = []
    _remembered_names(loads)
    _remembered_names(loads)
    assert len(loads) == 2


# --- permissions and groups ---------------------------------------------------------------


def _fresh(user) -> User:
    """The person as the next request loads them."""
    return User.objects.get(pk=user.pk)


def test_rights_are_kept_between_requests(kept_lookups, cx_lead, django_assert_num_queries):
    kept_lookups.commit()  # the fixture's memberships
    assert _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    with django_assert_num_queries(0):
        user = User(pk=cx_lead.pk, is_active=True)  # a request's user, no query of its own
        assert user.has_perm("portal.view_outboxmessage")
        assert not user.has_perm("portal.add_user")
        assert groups.CX_TEAM in group_names(user)


def test_a_membership_taken_away_is_gone_at_once(kept_lookups, cx_lead):
    assert _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    cx_lead.groups.remove(Group.objects.get(name=groups.CX_TEAM))
    assert not _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    assert group_names(_fresh(cx_lead)) == frozenset()


def test_a_permission_given_or_taken_from_a_group_counts_at_once(kept_lookups, cx_lead):
    assert _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    team = Group.objects.get(name=groups.CX_TEAM)
    outbox = Permission.objects.get(codename="view_outboxmessage")
    team.permissions.remove(outbox)
    kept_lookups.commit()
    assert not _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    team.permissions.add(outbox)
    kept_lookups.commit()
    assert _fresh(cx_lead).has_perm("portal.view_outboxmessage")


def test_a_permission_of_ones_own_counts_at_once(kept_lookups, outsider):
    assert not _fresh(outsider).has_perm("portal.add_user")
    add_user = Permission.objects.get(codename="add_user")
    outsider.user_permissions.add(add_user)
    kept_lookups.commit()
    assert _fresh(outsider).has_perm("portal.add_user")
    outsider.user_permissions.remove(add_user)
    kept_lookups.commit()
    assert not _fresh(outsider).has_perm("portal.add_user")


def test_a_renamed_group_is_seen_at_once(kept_lookups, hr):
    assert group_names(_fresh(hr)) == {groups.HR}
    team = Group.objects.get(name=groups.HR)
    team.name = "People team"
    team.save()
    kept_lookups.commit()
    assert group_names(_fresh(hr)) == {"People team"}


def test_superusers_are_kept_apart(kept_lookups, outsider):
    assert not _fresh(outsider).has_perm("portal.add_user")
    User.objects.filter(pk=outsider.pk).update(is_superuser=True)  # no signal: the flag is keyed
    assert _fresh(outsider).has_perm("portal.add_user")
    assert _fresh(outsider).get_all_permissions() >= {"portal.add_user", "portal.change_user"}
    User.objects.filter(pk=outsider.pk).update(is_superuser=False)
    assert not _fresh(outsider).has_perm("portal.add_user")
    assert "portal.add_user" not in _fresh(outsider).get_all_permissions()


def test_inactive_people_have_no_rights_kept_or_not(kept_lookups, cx_lead):
    assert _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    User.objects.filter(pk=cx_lead.pk).update(is_active=False)
    assert not _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    assert _fresh(cx_lead).get_all_permissions() == set()
    assert group_names(_fresh(cx_lead)) == frozenset()


def test_rights_are_read_once_per_request_without_a_shared_cache(
    outsider, django_assert_num_queries
):
    user = _fresh(outsider)
    rights_of(user)
    with django_assert_num_queries(0):
        user.has_perm("portal.add_user")
        group_names(user)


# --- the site's settings and the reader's profile -------------------------------------------


def test_site_settings_are_kept_by_host_and_seen_when_changed(
    kept_lookups, django_assert_num_queries
):
    # The first read makes the site's settings row, a change the test has not committed.
    PortalSettings.for_request(RequestFactory().get("/"))
    kept_lookups.commit()
    assert PortalSettings.for_request(RequestFactory().get("/")).programme_name == (
        "Customer for Life"
    )
    with django_assert_num_queries(0):
        assert PortalSettings.for_request(RequestFactory().get("/")).programme_name == (
            "Customer for Life"
        )
    row = PortalSettings.objects.get()
    row.programme_name = "Clients First"
    row.save()
    kept_lookups.commit()
    again = PortalSettings.for_request(RequestFactory().get("/"))
    assert again.programme_name == "Clients First"
    assert again._request is not None  # Wagtail's page links need the request


def test_the_viewer_profile_follows_the_profile_and_its_department(
    kept_lookups, new_hire, django_assert_num_queries
):
    kept_lookups.commit()  # the fixture's profile
    assert viewer_profile(user=_fresh(new_hire)).department.name == "Customer Support"
    next_request = _fresh(new_hire)
    with django_assert_num_queries(0):
        assert viewer_profile(user=next_request).department.name == "Customer Support"
    profile = Profile.objects.get(user=new_hire)
    department = profile.department
    department.name = "Customer Care"
    department.save()
    kept_lookups.commit()
    assert viewer_profile(user=_fresh(new_hire)).department.name == "Customer Care"
    profile.timezone = "Europe/Berlin"
    profile.save()
    kept_lookups.commit()
    assert str(viewer_profile(user=_fresh(new_hire)).effective_timezone) == "Europe/Berlin"


def test_signed_out_people_have_no_viewer_profile():
    from django.contrib.auth.models import AnonymousUser

    assert viewer_profile(user=AnonymousUser()) is None


# --- the Redis client -----------------------------------------------------------------------


@pytest.mark.integration
def test_the_redis_cache_keeps_one_client_per_pool(settings):
    from django.core.cache import caches

    cache = caches["default"]
    assert settings.CACHES["default"]["BACKEND"] == "portal.cache.RedisCache"
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.set("client-probe", "seen", 30)
    assert cache.get("client-probe") == "seen"
