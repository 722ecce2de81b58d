"""portal/lookups.py: small rows kept in the shared cache until what they are read from changes;
and what the portal keeps there: permissions and groups, the site's settings, the reader's
profile. A kept value is never older than the last change its lookup was told of."""

from __future__ import annotations

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


def _names() -> list[str]:
    return list(Department.objects.order_by("name").values_list("name", flat=True))


def _remembered_names(loads: list) -> list[str]:
    def load():
        loads.append(1)
        return _names()

    return lookups.remembered(DEPARTMENTS.name, "names", load)


def test_a_value_is_read_once_and_again_after_a_change(kept_lookups, django_assert_num_queries):
    DepartmentFactory(name="Billing", slug="billing")
    loads = []
    assert _remembered_names(loads) == ["Billing"]
    with django_assert_num_queries(0):
        assert _remembered_names(loads) == ["Billing"]
    DepartmentFactory(name="Sales", slug="sales")  # a save starts a new generation
    assert _remembered_names(loads) == ["Billing", "Sales"]
    Department.objects.get(slug="billing").delete()
    assert _remembered_names(loads) == ["Sales"]
    assert len(loads) == 3


def test_a_change_counts_at_once_and_again_when_it_commits(
    kept_lookups, django_capture_on_commit_callbacks
):
    loads = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        DepartmentFactory(name="Billing", slug="billing")
        # seen at once in this transaction: nothing kept from before the write is used
        assert _remembered_names(loads) == ["Billing"]
        # a request elsewhere could keep what it read before the commit: not used after it
        assert _remembered_names(loads) == ["Billing"]
    assert callbacks  # the second new generation waits for the commit
    assert _remembered_names(loads) == ["Billing"]
    assert len(loads) == 2


def test_a_many_to_many_change_starts_a_new_generation(kept_lookups, outsider):
    loads = []

    def members():
        loads.append(1)
        return sorted(outsider.groups.values_list("name", flat=True))

    assert lookups.remembered(MEMBERS.name, "x", members) == []
    outsider.groups.add(Group.objects.get(name=groups.HR))
    assert lookups.remembered(MEMBERS.name, "x", members) == [groups.HR]
    Group.objects.get(name=groups.HR).user_set.remove(outsider)  # from the other side too
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
    kept_lookups.delete("generation:test-departments")
    _remembered_names(loads)
    _remembered_names(loads)
    assert len(loads) == 2


def test_lookups_are_registered_before_use_and_once():
    with pytest.raises(KeyError):
        lookups.remembered("never-registered", "x", list)
    assert lookups.register("test-departments", models=("portal.Department",)) == DEPARTMENTS
    with pytest.raises(ValueError):
        lookups.register("test-departments", models=("portal.Profile",))


def test_every_process_registers_the_portals_lookups_when_it_starts():
    # Registered by modules the apps import in ready(): a worker that changes a profile
    # starts a new generation even if it never drew a page.
    assert {
        "auth",
        "site-settings",
        "viewer-profile",
        "stories-choices",
        "stories",
        "concerns",
    } <= set(lookups._registry)


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


def test_a_permission_taken_from_a_group_is_gone_at_once(kept_lookups, cx_lead):
    assert _fresh(cx_lead).has_perm("portal.view_outboxmessage")
    team = Group.objects.get(name=groups.CX_TEAM)
    team.permissions.remove(Permission.objects.get(codename="view_outboxmessage"))
    assert not _fresh(cx_lead).has_perm("portal.view_outboxmessage")


def test_a_renamed_group_is_seen_at_once(kept_lookups, hr):
    assert group_names(_fresh(hr)) == {groups.HR}
    team = Group.objects.get(name=groups.HR)
    team.name = "People team"
    team.save()
    assert group_names(_fresh(hr)) == {"People team"}


def test_superusers_and_inactive_people_are_kept_apart(kept_lookups, outsider):
    assert not _fresh(outsider).has_perm("portal.add_user")
    User.objects.filter(pk=outsider.pk).update(is_superuser=True)  # no signal: the flag is keyed
    assert _fresh(outsider).has_perm("portal.add_user")
    assert _fresh(outsider).get_all_permissions() >= {"portal.add_user", "portal.change_user"}
    User.objects.filter(pk=outsider.pk).update(is_superuser=False, is_active=False)
    assert not _fresh(outsider).has_perm("portal.add_user")
    assert _fresh(outsider).get_all_permissions() == set()
    assert group_names(_fresh(outsider)) == frozenset()


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
    # The first read makes the site's settings row, which starts a new generation: the next
    # read keeps what it reads, and the one after it costs nothing.
    for _ in range(2):
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
    again = PortalSettings.for_request(RequestFactory().get("/"))
    assert again.programme_name == "Clients First"
    assert again._request is not None  # Wagtail's page links need the request


def test_the_viewer_profile_follows_the_profile_and_its_department(
    kept_lookups, new_hire, django_assert_num_queries
):
    assert viewer_profile(user=_fresh(new_hire)).department.name == "Customer Support"
    next_request = _fresh(new_hire)
    with django_assert_num_queries(0):
        assert viewer_profile(user=next_request).department.name == "Customer Support"
    profile = Profile.objects.get(user=new_hire)
    department = profile.department
    department.name = "Customer Care"
    department.save()
    assert viewer_profile(user=_fresh(new_hire)).department.name == "Customer Care"
    profile.timezone = "Europe/Berlin"
    profile.save()
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
