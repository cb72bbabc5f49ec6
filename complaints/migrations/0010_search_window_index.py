"""The officers' search finds the lowest id of the cases filed since a moment from this index
alone (complaints.search.first_id_since)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_urgency_and_open_due_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["submitted_at", "id"], name="complaint_filed_id"),
        ),
    ]
