from django.db import migrations

from complaints.setup import ensure_categories


def forwards(apps, schema_editor):
    ensure_categories(apps.get_model("complaints", "ComplaintCategory"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints_files_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
