from django.db import migrations

from home.content import create_home_page


def forwards(apps, schema_editor):
    create_home_page(
        Page=apps.get_model("wagtailcore", "Page"),
        HomePage=apps.get_model("home", "HomePage"),
        Site=apps.get_model("wagtailcore", "Site"),
        ContentType=apps.get_model("contenttypes", "ContentType"),
        Locale=apps.get_model("wagtailcore", "Locale"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
