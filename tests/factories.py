import datetime

import factory
from django.contrib.auth.models import Group

from portal.models import Department, OutboxMessage, Profile, User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")
    slack_channel_id = factory.Sequence(lambda n: f"CTEST{n:05d}")
    timezone = "Asia/Seoul"
    voice_time = datetime.time(9, 30)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.LazyAttribute(lambda o: o.email.split("@")[0])
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Tester"
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def department(self, create, extracted, **kwargs):
        if create and extracted:
            Profile.objects.filter(user=self).update(department=extracted)


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    channel = "CTEST00001"
    text = factory.Sequence(lambda n: f"Message {n}")


def heard_voice(department, text: str, *, days_ago: int = 1, **fields):
    """A daily voice the department heard `days_ago` days back: its feedback item, and its
    Slack message as posted. `fields` are the voice's own (thanks_count, ...)."""
    import datetime

    from django.utils import timezone

    from stories.models import DailyVoice, FeedbackItem

    sent = timezone.now() - datetime.timedelta(days=days_ago)
    feedback = FeedbackItem.objects.create(
        source="nps-survey",
        external_id=f"{department.pk}-{days_ago}-{text[:20]}",
        received_at=sent - datetime.timedelta(days=30),
        text=text,
        market="KR",
        language="en",
        department=department,
    )
    message = OutboxMessageFactory(
        idempotency_key=f"stories:voice:{department.pk}:{sent.date()}",
        channel=department.slack_channel_id,
        text=text,
        state=OutboxMessage.State.SENT,
    )
    return DailyVoice.objects.create(
        department=department,
        local_date=sent.date(),
        kind=DailyVoice.Kind.FEEDBACK,
        feedback=feedback,
        outbox_message=message,
        sent_at=sent,
        **fields,
    )
