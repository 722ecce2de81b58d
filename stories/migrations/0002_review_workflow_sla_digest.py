"""The story review workflow, the default SLAs and the daily triage digest's schedule."""

from django.db import migrations

WORKFLOW_NAME = "Story review"
TASK_NAME = "CX team review"
CX_TEAM = "CX team"
DIGEST_NAME = "CX triage digest"
# Working days to resolve, per severity; the CX team edits them in the admin.
DEFAULT_SLAS = {"critical": 1, "high": 3, "medium": 5, "low": 10}


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    SeveritySLA = apps.get_model("stories", "SeveritySLA")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    # The portal makes its groups after every migrate; the review task needs the CX team now.
    cx_team, _ = Group.objects.get_or_create(name=CX_TEAM)
    task_type = ContentType.objects.get_for_model(GroupApprovalTask)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([cx_team])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=Task.objects.get(pk=task.pk), sort_order=0)
    story_type, _ = ContentType.objects.get_or_create(app_label="stories", model="story")
    WorkflowContentType.objects.update_or_create(
        content_type=story_type, defaults={"workflow": workflow}
    )

    for severity, days in DEFAULT_SLAS.items():
        SeveritySLA.objects.get_or_create(severity=severity, defaults={"working_days": days})

    # Weekdays at 09:00 Seoul time, where the demo company's CX team sits; editable in the admin.
    nine, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="9",
        day_of_week="1-5",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    PeriodicTask.objects.update_or_create(
        name=DIGEST_NAME,
        defaults={"task": "stories.triage_digest", "crontab": nine, "enabled": True},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=DIGEST_NAME).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
