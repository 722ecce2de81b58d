import pytest

from portal.forms import ProfileForm, timezone_names

pytestmark = pytest.mark.django_db


def test_time_zone_is_a_searchable_box_not_a_long_select(client, new_hire):
    client.force_login(new_hire)
    body = client.get("/profile/").content.decode()
    assert '<select name="timezone"' not in body
    assert 'list="id_timezone-choices"' in body
    assert '<option value="Asia/Seoul"></option>' in body
    # The person's department (in Seoul) is the default, said where they type.
    assert 'placeholder="Asia/Seoul"' in body
    assert "Leave empty to use Customer Support's time zone (Asia/Seoul)." in body


def test_suggestions_are_cities_grouped_by_region():
    names = timezone_names()
    assert "Europe/London" in names
    assert "US/Eastern" not in names
    assert list(names) == sorted(names)


def test_time_zone_is_matched_whatever_the_case(new_hire):
    form = ProfileForm({"language": "en", "timezone": "asia/tokyo"}, instance=new_hire.profile)
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["timezone"]) == "Asia/Tokyo"


def test_an_unknown_zone_is_explained_and_kept(client, new_hire):
    client.force_login(new_hire)
    response = client.post("/profile/", {"language": "en", "timezone": "Mars/Olympus"})
    body = response.content.decode()
    assert "Mars/Olympus is not a time zone." in body
    assert 'value="Mars/Olympus"' in body


def test_the_department_name_in_the_help_is_escaped(client, new_hire, department):
    department.name = "<b>Support</b>"
    department.save()
    client.force_login(new_hire)
    body = client.get("/profile/").content.decode()
    assert "<b>Support</b>" not in body
    assert "&lt;b&gt;Support&lt;/b&gt;" in body
