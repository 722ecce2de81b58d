"""Remove Wagtail's stock "Editors" and "Moderators" groups.

Their rights (add, edit, publish every page; every image and document) overlap the portal's
own groups and would hand them out to whoever HR puts in them. The portal's groups are made in
code (portal/groups.py); these two have no place beside them.
"""

from django.db import migrations

STOCK_GROUPS = ["Editors", "Moderators"]


def remove_stock_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Group.objects.filter(name__in=STOCK_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_create_homepage"),
        # The last migrations that give the stock groups rights must have run first.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(remove_stock_groups, migrations.RunPython.noop)]
