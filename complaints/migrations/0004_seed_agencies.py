from django.db import migrations

from complaints.setup import ensure_agencies


def forwards(apps, schema_editor):
    """The district offices and provincial offices of settings.PROVINCE_CODE's province."""
    ensure_agencies(apps.get_model("complaints", "Agency"), apps.get_model("addresses", "District"))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_agencies_assignment_ratings_audit"),
        ("addresses", "0002_load_areas"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
