import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from portal import groups

pytestmark = pytest.mark.django_db


def _perms(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_made_every_group_with_exactly_its_permissions():
    for name, expected in groups.group_permissions().items():
        assert _perms(name) == set(expected), name


def test_sync_is_idempotent_and_repairs_drift():
    Group.objects.get(name=groups.HR).permissions.clear()
    groups.groups_sync()
    groups.groups_sync()
    assert _perms(groups.HR) == set(groups.group_permissions()[groups.HR])
    assert Group.objects.filter(name=groups.HR).count() == 1


def test_leadership_may_publish_pages():
    codenames = set(
        GroupPagePermission.objects.filter(group__name=groups.LEADERSHIP).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page"}


def test_persona_rights(new_hire, cx_lead, leader, hr, outsider):
    assert not new_hire.has_perm("wagtailadmin.access_admin")
    assert not outsider.has_perm("wagtailadmin.access_admin")
    assert cx_lead.has_perm("portal.change_outboxmessage")
    assert not leader.has_perm("portal.change_outboxmessage")
    assert leader.has_perm("portal.change_portalsettings")
    assert hr.has_perm("portal.change_profile")
    assert not hr.has_perm("portal.view_outboxmessage")


def test_hr_adds_people_in_the_admin_and_they_get_a_profile(client, hr, cx_lead):
    client.force_login(hr)
    assert client.get("/admin/users/").status_code == 200
    response = client.post(
        "/admin/users/new/",
        {
            "username": "mina",
            "email": "mina@example.com",
            "first_name": "Mina",
            "last_name": "Park",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    from portal.models import Profile

    assert Profile.objects.filter(user__email="mina@example.com").exists()
    client.force_login(cx_lead)
    assert client.get("/admin/users/").status_code in {302, 403}
