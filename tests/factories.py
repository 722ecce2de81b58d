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
