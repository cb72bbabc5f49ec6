from django.urls import path

from core.db import replica_reads
from dashboard import views

app_name = "dashboard"

# The figures may come from a read replica (DATABASE_REPLICA_URL, core/db.py); permission
# checks and the log-in stay on the primary.
urlpatterns = [
    path("", replica_reads(views.index), name="index"),
    path("export.xlsx", replica_reads(views.export), {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.pdf", replica_reads(views.export), {"fmt": "pdf"}, name="export_pdf"),
]
