"""Every half hour, beat reminds learners whose 09:00 has come (onboarding/reminders.py)."""

from django.db import migrations

TASK_NAME = "Onboarding reminders"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # On the hour and the half hour: 09:00 comes at :30 past in some time zones.
    half_hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="0,30",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "onboarding.reminders", "crontab": half_hourly, "enabled": True},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0003_module_manager_told"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
