import pytest
from django.core.exceptions import ValidationError

from portal.models import Profile
from portal.services import organisation

pytestmark = pytest.mark.django_db


def test_profile_update_mirrors_wagtail_preferences(new_hire):
    organisation.profile_update(user=new_hire, language="ko", timezone_name="Asia/Tokyo")
    new_hire.wagtail_userprofile.refresh_from_db()
    assert new_hire.wagtail_userprofile.preferred_language == "ko"
    assert new_hire.wagtail_userprofile.current_time_zone == "Asia/Tokyo"
    assert Profile.objects.get(user=new_hire).language == "ko"


def test_profile_update_rejects_unknown_language(new_hire):
    with pytest.raises(ValidationError):
        organisation.profile_update(user=new_hire, language="xx", timezone_name=None)
    assert Profile.objects.get(user=new_hire).language == "en"


def test_every_new_user_gets_a_profile(outsider):
    assert Profile.objects.filter(user=outsider).exists()
