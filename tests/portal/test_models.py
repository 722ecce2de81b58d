import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from portal.models import Department, HomePage, OutboxMessage, PrinciplesIndexPage, Profile
from tests.factories import DepartmentFactory, UserFactory


class HomePageRulesTests(WagtailPageTestCase):
    def test_home_page_sits_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_the_principles(self):
        self.assertCanCreateAt(HomePage, PrinciplesIndexPage)

    def test_the_migration_made_it_the_site_root_with_one_translation_per_language(self):
        home = HomePage.objects.get(locale=Locale.get_default())
        self.assertEqual(home.get_site().root_page.specific, home)
        korean = home.get_translation(Locale.objects.get(language_code="ko"))
        self.assertTrue(korean.live)
        self.assertEqual(HomePage.objects.count(), 2)


@pytest.mark.django_db
def test_department_validates_channel_timezone_and_weekdays():
    department = Department(
        name="Ops", slug="ops", slack_channel_id="#general", voice_weekdays=[], timezone="UTC"
    )
    with pytest.raises(ValidationError) as error:
        department.full_clean()
    assert set(error.value.message_dict) == {"slack_channel_id", "voice_weekdays"}
    department.slack_channel_id = "C0123ABCD"
    department.voice_weekdays = [0, 7]
    with pytest.raises(ValidationError):
        department.full_clean()
    department.voice_weekdays = [0, 2, 4]
    department.full_clean()


@pytest.mark.django_db
def test_department_local_time_follows_its_timezone():
    seoul = DepartmentFactory(timezone="Asia/Seoul")
    noon_utc = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
    assert seoul.local_now(noon_utc).hour == 21
    assert seoul.weekday_labels == "Monday, Tuesday, Wednesday, Thursday, Friday"


@pytest.mark.django_db
def test_profile_timezone_falls_back_to_department_then_utc():
    user = UserFactory(department=DepartmentFactory(timezone="Asia/Tokyo"))
    profile = Profile.objects.select_related("department").get(user=user)
    assert str(profile.effective_timezone) == "Asia/Tokyo"
    profile.timezone = "Europe/London"
    assert str(profile.effective_timezone) == "Europe/London"
    loner = Profile.objects.get(user=UserFactory())
    assert str(loner.effective_timezone) == "UTC"


@pytest.mark.django_db
def test_profile_cannot_be_its_own_manager_and_slack_ids_are_unique():
    user = UserFactory()
    profile = Profile.objects.get(user=user)
    profile.manager = user
    profile.slack_user_id = "U0123ABCD"
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "manager" in error.value.message_dict
    profile.manager = None
    profile.save()
    other = Profile.objects.get(user=UserFactory())
    other.slack_user_id = "U0123ABCD"
    with pytest.raises(ValidationError):
        other.full_clean()


@pytest.mark.django_db
def test_outbox_preview_text_is_what_slack_readers_see():
    message = OutboxMessage(text="&lt;!channel&gt; from <@U0123ABCD> — <https://x.test|read>")
    assert message.preview_text == "<!channel> from @U0123ABCD — read (https://x.test)"
