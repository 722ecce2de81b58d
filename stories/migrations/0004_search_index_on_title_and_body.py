"""On PostgreSQL, an index for the searches the stories and concern lists make.

Wagtail's database search backend matches `(title || body) @@ query` on its index table, and
its own GIN indexes are on title and body apart, so every search read all the model's entries
(about 70–110 ms over 10,000 stories; bench/README.md). Other databases have no such index.
"""

from django.db import migrations

INDEX = "stories_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
        "USING gin ((title || body))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_you_said_we_did_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
