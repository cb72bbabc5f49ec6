from django.db import migrations

from addresses.loader import load_areas


def forwards(apps, schema_editor):
    load_areas(
        apps.get_model("addresses", "Province"),
        apps.get_model("addresses", "District"),
        apps.get_model("addresses", "Subdistrict"),
    )


def backwards(apps, schema_editor):
    for name in ("Subdistrict", "District", "Province"):
        apps.get_model("addresses", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("addresses", "0001_areas")]
    operations = [migrations.RunPython(forwards, backwards)]
