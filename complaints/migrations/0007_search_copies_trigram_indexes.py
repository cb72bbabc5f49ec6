"""The officers' search (complaints.search): two normalised copies on every complaint, filled
for the complaints already filed, and on PostgreSQL a pg_trgm GIN index on each.

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner creates it without being
a superuser. Its trigrams of Thai text depend on the database's LC_CTYPE: C.UTF-8, th_TH.UTF-8
or en_US.UTF-8 treat Thai letters and marks as word characters; plain "C" does not, and the
index then helps only with digits and Latin letters (answers stay right, only slower).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

BATCH = 2000


def fill_search_copies(apps, schema_editor):
    from complaints.search import person_of, text_of

    Complaint = apps.get_model("complaints", "Complaint")
    rows = Complaint.objects.using(schema_editor.connection.alias).select_related(
        "target_district", "target_subdistrict"
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        for complaint in batch:
            complaint.search_text, complaint.search_person = text_of(complaint), person_of(complaint)
        Complaint.objects.using(schema_editor.connection.alias).bulk_update(
            batch, ["search_text", "search_person"]
        )
        last = batch[-1].pk


def create_trigram_indexes(apps, schema_editor):
    from complaints.search import create_trigram_indexes

    create_trigram_indexes(schema_editor.connection)


def drop_trigram_indexes(apps, schema_editor):
    from complaints.search import drop_trigram_indexes

    drop_trigram_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_complaint_draft"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="search_person",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="complaint",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_copies, migrations.RunPython.noop, elidable=True),
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
