"""A citizen's complaints in their own copy of their data (PDPA section 30, "ข้อมูลของฉัน").

Registered from ``ComplaintsConfig.ready()`` as the export section "complaints". Each complaint
appears as the citizen filed it and as their tracking page shows it: the timeline is the
tracking page's own ``public_timeline`` (never internal notes, attachments, assignments or
officers' names), evidence files as metadata only (neither content nor storage path).
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import DataSummary, area_export, iso_date
from complaints.forms import CONCEAL, DISCLOSE
from complaints.models import Complaint, EvidenceFile, SatisfactionRating
from complaints.views_tracking import public_timeline


def own_complaints(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(citizen=user)


def _coordinate(value) -> float | None:
    return float(value) if value is not None else None


def _file(evidence: EvidenceFile) -> dict[str, Any]:
    return {
        "original_name": evidence.original_name,
        "kind": evidence.kind,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_at": iso_date(evidence.uploaded_at),
    }


def _rating(rating: SatisfactionRating) -> dict[str, Any]:
    return {
        "completion_round": rating.completion_round,
        "score": rating.score,
        "comment": rating.comment,
        "rated_at": iso_date(rating.created_at),
        "changed_at": iso_date(rating.updated_at),
    }


def _timeline(complaint: Complaint) -> list[dict[str, Any]]:
    return [
        {
            "at": iso_date(entry["at"]),
            "state": entry["state"],
            "state_label": str(entry["state_label"]),
            "note": entry["note"],
        }
        for entry in public_timeline(complaint)
    ]


def complaint_export(complaint: Complaint) -> dict[str, Any]:
    return {
        "tracking_number": complaint.tracking_number,
        "submitted_at": iso_date(complaint.submitted_at),
        "complainant": {
            "name": complaint.complainant_name,
            "phone": complaint.complainant_phone,
            "email": complaint.complainant_email,
            "address": complaint.complainant_address,
        },
        "category": complaint.category.name,
        "details": complaint.details,
        "target_agency": complaint.target_agency,
        "target_place": complaint.target_place,
        "target_address": complaint.target_address,
        "province": area_export(complaint.target_province),
        "district": area_export(complaint.target_district),
        "subdistrict": area_export(complaint.target_subdistrict),
        "latitude": _coordinate(complaint.latitude),
        "longitude": _coordinate(complaint.longitude),
        "location_accuracy_m": complaint.location_accuracy_m,
        "identity": CONCEAL if complaint.conceal_identity else DISCLOSE,
        "identity_label": _("ปกปิดข้อมูล") if complaint.conceal_identity else _("เปิดเผยข้อมูล"),
        "state": complaint.state,
        "state_label": str(complaint.get_state_display()),
        "closed_reason": complaint.closed_reason,
        "report_due_at": iso_date(complaint.report_due_at),
        "completed_at": iso_date(complaint.completed_at),
        "timeline": _timeline(complaint),
        "files": [_file(evidence) for evidence in complaint.files.all()],
        "ratings": [_rating(rating) for rating in complaint.ratings.all()],
    }


def export_complaints(user: User) -> list[dict[str, Any]]:
    """The user's complaints, oldest first (the history of each one costs one query)."""
    complaints = (
        own_complaints(user)
        .select_related("category", "target_province", "target_district", "target_subdistrict")
        .prefetch_related(
            "files", Prefetch("ratings", SatisfactionRating.objects.order_by("completion_round"))
        )
        .order_by("submitted_at", "pk")
    )
    return [complaint_export(complaint) for complaint in complaints]


def summarise_complaints(user: User) -> DataSummary:
    count = own_complaints(user).count()
    return DataSummary(
        label=_("เรื่องร้องเรียน"),
        value=_("%(count)s เรื่อง") % {"count": f"{count:,}"},
        url=reverse("complaints:mine"),
    )
