import pytest
from django.utils.translation import gettext as _

from portal.models import OutboxMessage, Profile
from portal.services.notify import notify_person

pytestmark = pytest.mark.django_db


def _compose():
    return _("Home"), "Your concern *<b>&</b>* was resolved"


def test_a_person_with_a_slack_id_gets_a_direct_message(new_hire):
    Profile.objects.filter(user=new_hire).update(slack_user_id="U0NEWHIRE1")
    message = notify_person(user=new_hire, key="k:1", compose=_compose)
    assert message.transport == OutboxMessage.Transport.SLACK
    assert message.channel == "U0NEWHIRE1"
    assert message.text == "Your concern *<b>&</b>* was resolved"


def test_a_person_without_a_slack_id_gets_an_email_in_plain_text(new_hire):
    message = notify_person(user=new_hire, key="k:1", compose=_compose)
    assert message.transport == OutboxMessage.Transport.EMAIL
    assert message.channel == new_hire.email
    assert message.subject == "Home"


def test_the_message_is_written_in_the_persons_language(new_hire):
    Profile.objects.filter(user=new_hire).update(language="ko")
    message = notify_person(user=new_hire, key="k:1", compose=_compose)
    assert message.subject == "홈"


def test_the_same_key_tells_the_person_once(new_hire):
    notify_person(user=new_hire, key="k:1", compose=_compose)
    notify_person(user=new_hire, key="k:1", compose=_compose)
    assert OutboxMessage.objects.count() == 1


def test_someone_who_left_is_not_told(new_hire):
    new_hire.is_active = False
    new_hire.save()
    assert notify_person(user=new_hire, key="k:1", compose=_compose) is None
    assert not OutboxMessage.objects.exists()
