from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_latest_rating_score(apps, schema_editor):
    """Each complaint's score of its latest rated completion round (one UPDATE)."""
    Complaint = apps.get_model("complaints", "Complaint")
    SatisfactionRating = apps.get_model("complaints", "SatisfactionRating")
    latest = SatisfactionRating.objects.filter(complaint=OuterRef("pk")).order_by(
        "-completion_round"
    )
    Complaint.objects.filter(pk__in=SatisfactionRating.objects.values("complaint_id")).update(
        latest_rating_score=Subquery(latest.values("score")[:1])
    )


# The dashboard's indexes answer without reading the table only for pages the visibility map
# marks all-visible, i.e. vacuumed since their last change. PostgreSQL's default waits for 20 %
# of the table to change, which at a million complaints leaves the current fiscal year (the
# dashboard's default view) unvacuumed for good; 1 % keeps it to about the last 10,000 changes.
AUTOVACUUM = (
    "autovacuum_vacuum_scale_factor = 0.01, "
    "autovacuum_vacuum_insert_scale_factor = 0.01, "
    "autovacuum_analyze_scale_factor = 0.02"
)


def vacuum_sooner(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE complaints_complaint SET ({AUTOVACUUM})")


def vacuum_as_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        names = ", ".join(part.split(" = ")[0] for part in AUTOVACUUM.split(", "))
        schema_editor.execute(f"ALTER TABLE complaints_complaint RESET ({names})")


class Migration(migrations.Migration):
    """The dashboard's copy of each complaint's latest rating, and its covering indexes."""

    dependencies = [
        ("complaints", "0004_seed_agencies"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="latest_rating_score",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="คะแนนประเมินล่าสุด"
            ),
        ),
        migrations.RunPython(backfill_latest_rating_score, migrations.RunPython.noop),
        migrations.RunPython(vacuum_sooner, vacuum_as_default),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=[
                    "submitted_at",
                    "state",
                    "report_due_at",
                    "completed_at",
                    "latest_rating_score",
                    "category",
                    "target_district",
                    "agency",
                ],
                name="complaint_dash_received",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=[
                    "target_district",
                    "submitted_at",
                    "state",
                    "report_due_at",
                    "completed_at",
                    "latest_rating_score",
                    "category",
                    "agency",
                ],
                name="complaint_dash_district",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=[
                    "category",
                    "submitted_at",
                    "state",
                    "report_due_at",
                    "completed_at",
                    "latest_rating_score",
                    "target_district",
                    "agency",
                ],
                name="complaint_dash_category",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=[
                    "agency",
                    "submitted_at",
                    "state",
                    "report_due_at",
                    "completed_at",
                    "latest_rating_score",
                    "category",
                    "target_district",
                ],
                name="complaint_dash_agency",
            ),
        ),
    ]
