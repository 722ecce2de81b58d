"""Who may grant what in Wagtail's user admin: HR adds people; only superusers grant powers."""

import pytest
from django.contrib.auth.models import Group

from portal import groups
from portal.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-different-long-passphrase"


def _names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _group_ids(*names) -> list[str]:
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def _edit_data(user, **overrides) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "First",
        "last_name": user.last_name or "Last",
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    data.update(overrides)
    return data


def test_wagtail_stock_groups_are_gone():
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


def test_hr_may_grant_only_groups_without_admin_powers(hr):
    assert set(groups.assignable_groups(by=hr).values_list("name", flat=True)) == {
        groups.NEW_HIRES,
    }


def test_nobody_puts_people_in_ambassadors_by_hand(hr, administrator):
    # Appointments keep that group (ambassadors.services); their sync would undo a hand edit.
    for person in (hr, administrator):
        names = set(groups.assignable_groups(by=person).values_list("name", flat=True))
        assert groups.AMBASSADORS not in names


def test_hr_cannot_edit_their_own_account_into_more_groups(client, hr):
    client.force_login(hr)
    url = f"/admin/users/edit/{hr.pk}/"
    assert client.get(url).status_code in {302, 403}
    client.post(url, _edit_data(hr, groups=_group_ids(groups.LEADERSHIP, groups.CX_TEAM)))
    hr.refresh_from_db()
    assert _names(hr) == {groups.HR}


@pytest.mark.parametrize("target_name", ["leader", "administrator", "cx_lead"])
def test_hr_cannot_touch_people_with_admin_powers(client, hr, request, target_name):
    target = request.getfixturevalue(target_name)
    before = (target.email, target.password, target.is_active, _names(target))
    client.force_login(hr)
    url = f"/admin/users/edit/{target.pk}/"
    assert client.get(url).status_code in {302, 403}
    client.post(
        url,
        _edit_data(
            target,
            email="hr-owns-this@example.com",
            is_active="",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        ),
    )
    target.refresh_from_db()
    assert (target.email, target.password, target.is_active, _names(target)) == before


def test_hr_edits_an_employee_but_cannot_make_them_superuser_or_set_a_password(
    client, hr, new_hire
):
    old_password = new_hire.password
    client.force_login(hr)
    url = f"/admin/users/edit/{new_hire.pk}/"
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="password1"' not in page
    response = client.post(
        url,
        _edit_data(
            new_hire,
            email="mina.park@example.com",
            is_superuser="on",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
            groups=_group_ids(),
        ),
    )
    assert response.status_code == 302
    new_hire.refresh_from_db()
    assert new_hire.email == "mina.park@example.com"
    assert not new_hire.is_superuser
    assert new_hire.password == old_password
    assert _names(new_hire) == set()


def test_a_forged_group_is_refused_where_it_was_chosen(client, hr, new_hire):
    client.force_login(hr)
    url = f"/admin/users/edit/{new_hire.pk}/"
    response = client.post(
        url, _edit_data(new_hire, groups=_group_ids(groups.NEW_HIRES, groups.LEADERSHIP))
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    new_hire.refresh_from_db()
    assert _names(new_hire) == {groups.NEW_HIRES}


def test_hr_creates_people_only_in_groups_without_powers(client, hr):
    client.force_login(hr)
    data = {
        "username": "jun",
        "email": "jun@example.com",
        "first_name": "Jun",
        "last_name": "Lee",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "is_superuser": "on",
        "groups": _group_ids(groups.NEW_HIRES, groups.HR),
    }
    assert client.post("/admin/users/new/", data).status_code == 200
    assert not User.objects.filter(email="jun@example.com").exists()
    data["groups"] = _group_ids(groups.NEW_HIRES)
    assert client.post("/admin/users/new/", data).status_code == 302
    jun = User.objects.get(email="jun@example.com")
    assert not jun.is_superuser
    assert _names(jun) == {groups.NEW_HIRES}


def test_hr_bulk_actions_skip_people_with_powers(client, hr, administrator, new_hire):
    client.force_login(hr)
    ids = f"id={administrator.pk}&id={new_hire.pk}"
    client.post(
        f"/admin/bulk/portal/user/set_active_state/?{ids}&next=/admin/users/",
        {"mark_as_active": "False"},
    )
    administrator.refresh_from_db()
    new_hire.refresh_from_db()
    assert administrator.is_active
    assert not new_hire.is_active


def test_hr_bulk_assign_role_offers_only_groups_without_powers(client, hr, new_hire):
    client.force_login(hr)
    url = f"/admin/bulk/portal/user/assign_role/?id={new_hire.pk}&next=/admin/users/"
    [leadership] = _group_ids(groups.LEADERSHIP)
    response = client.post(url, {"role": leadership})
    assert response.status_code == 200  # the form comes back with its error
    assert groups.LEADERSHIP not in _names(new_hire)
    [ambassadors] = _group_ids(groups.AMBASSADORS)
    assert client.post(url, {"role": ambassadors}).status_code == 200
    assert groups.AMBASSADORS not in _names(new_hire)
    [new_hires] = _group_ids(groups.NEW_HIRES)
    assert client.post(url, {"role": new_hires}).status_code == 302
    assert groups.NEW_HIRES in _names(new_hire)


def test_users_list_links_only_the_people_hr_may_edit(client, hr, leader, new_hire):
    client.force_login(hr)
    body = client.get("/admin/users/").content.decode()
    assert f"/admin/users/edit/{new_hire.pk}/" in body
    assert f"/admin/users/edit/{leader.pk}/" not in body


def test_users_list_costs_the_same_with_more_people(client, hr, django_assert_max_num_queries):
    client.force_login(hr)
    client.get("/admin/users/")  # warm caches (site, settings, permissions)
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/users/")
    few_queries = len(few.captured_queries)  # read before the next request resets the log
    UserFactory.create_batch(15, groups=[groups.AMBASSADORS])
    client.get("/admin/users/")  # new memberships: the permissions kept are read anew once
    with django_assert_max_num_queries(few_queries):
        client.get("/admin/users/")


def test_a_superuser_grants_powers_and_sets_passwords(client, administrator, new_hire):
    client.force_login(administrator)
    response = client.post(
        f"/admin/users/edit/{new_hire.pk}/",
        _edit_data(
            new_hire,
            is_superuser="on",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
            groups=_group_ids(groups.LEADERSHIP),
        ),
    )
    assert response.status_code == 302
    new_hire.refresh_from_db()
    assert new_hire.is_superuser
    assert new_hire.check_password(NEW_PASSWORD)
    assert _names(new_hire) == {groups.LEADERSHIP}


def test_hr_cannot_repoint_the_slack_identity_of_someone_with_powers(client, hr, leader, new_hire):
    client.force_login(hr)
    for person, may in ((leader, False), (new_hire, True)):
        url = f"/admin/snippets/portal/profile/edit/{person.profile.pk}/"
        data = {
            "department": person.profile.department_id or "",
            "job_title": "Anything",
            "slack_user_id": "U0HRSOWN01",
            "language": "en",
            "timezone": "",
        }
        assert client.post(url, data).status_code == 302
        person.profile.refresh_from_db()
        assert person.profile.job_title == "Anything"
        assert (person.profile.slack_user_id == "U0HRSOWN01") is may
        person.profile.slack_user_id = ""
        person.profile.save()
