from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_remove_wagtail_default_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="verify_before_send",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="check Slack before sending again"
            ),
        ),
    ]
