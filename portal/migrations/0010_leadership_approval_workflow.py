"""The "Leadership approval" workflow, the Korean locale, and the principles' schedules.

Pages under the home page are published through the workflow: the CX team drafts and submits,
Leadership approves (saying whether the change is material) or asks for changes. Beat runs
Wagtail's publish_scheduled every minute, and the acknowledgement reminders every hour.
"""

from django.db import migrations

WORKFLOW_NAME = "Leadership approval"
TASK_NAME = "Leadership approves"
LEADERSHIP = "Leadership"
PUBLISH_SCHEDULED = "Wagtail: publish scheduled pages"
REMINDERS = "Principles: acknowledgement reminders"


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    LeadershipApprovalTask = apps.get_model("portal", "LeadershipApprovalTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    Locale.objects.get_or_create(language_code="ko")

    # The portal makes its groups after every migrate; the task needs Leadership now.
    leadership, _ = Group.objects.get_or_create(name=LEADERSHIP)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="portal", model="leadershipapprovaltask"
    )
    task = LeadershipApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = LeadershipApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([leadership])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=Task.objects.get(pk=task.pk), sort_order=0
    )
    home_type = ContentType.objects.filter(app_label="portal", model="homepage").first()
    for home in Page.objects.filter(depth=2, content_type=home_type):
        WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})

    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=PUBLISH_SCHEDULED,
        defaults={"task": "portal.publish_scheduled", "interval": every_minute, "enabled": True},
    )
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.update_or_create(
        name=REMINDERS,
        defaults={"task": "portal.principle_reminders", "crontab": hourly, "enabled": True},
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[PUBLISH_SCHEDULED, REMINDERS]).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_principles"),
        ("wagtailcore", "0098_apitoken"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
