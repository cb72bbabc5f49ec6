"""Read-only queries about accounts; callers pass the logged-in user, never an id from a URL.

``citizen_data_export`` is the PDPA "right of access" copy: everything the centre holds about
one person. It is built from sections; a later feature (complaints, LINE link…) adds its own
with ``register_export_section("complaints", build)`` from its app's ``ready()``, where
``build(user) -> JSON-able value``.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AccountClosureRequest, CitizenProfile, ConsentRecord, User

ExportSection = Callable[[User], Any]


def citizen_profile_for(*, user: User) -> CitizenProfile | None:
    """The user's own profile with its areas, or None for staff accounts."""
    if not user.is_authenticated:
        return None
    return (
        CitizenProfile.objects.select_related("province", "district", "subdistrict", "user")
        .filter(user=user)
        .first()
    )


def citizen_consents(*, user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).order_by("-accepted_at")


def closure_requests_of(*, user: User) -> QuerySet[AccountClosureRequest]:
    return AccountClosureRequest.objects.filter(user=user).order_by("-requested_at")


def pending_closure_request(*, user: User) -> AccountClosureRequest | None:
    return (
        closure_requests_of(user=user).filter(status=AccountClosureRequest.Status.PENDING).first()
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _area(area) -> dict[str, str]:
    return {"code": area.code, "name": area.name_th}


def _export_account(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "is_active": user.is_active,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _export_profile(user: User) -> dict[str, Any] | None:
    profile = citizen_profile_for(user=user)
    if profile is None:
        return None
    return {
        "national_id": profile.national_id,
        "title": profile.title,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "birth_date": _iso(profile.birth_date),
        "phone": profile.phone,
        "house_number": profile.house_number,
        "moo": profile.moo,
        "soi": profile.soi,
        "road": profile.road,
        "subdistrict": _area(profile.subdistrict),
        "district": _area(profile.district),
        "province": _area(profile.province),
        "postal_code": profile.postal_code,
        "address": profile.address_text,
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
    }


def _export_consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": consent.kind,
            "kind_label": str(consent.get_kind_display()),
            "text_title": consent.text_title,
            "revision_id": consent.revision_id,
            "accepted_at": _iso(consent.accepted_at),
            "ip_address": consent.ip_address,
        }
        for consent in citizen_consents(user=user)
    ]


def _export_closure_requests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "status": closure.status,
            "status_label": str(closure.get_status_display()),
            "reason": closure.reason,
            "requested_at": _iso(closure.requested_at),
            "handled_at": _iso(closure.handled_at),
            "note": closure.note,
        }
        for closure in closure_requests_of(user=user)
    ]


# The sections of the export, in order. Extend with register_export_section().
EXPORT_SECTIONS: dict[str, ExportSection] = {
    "account": _export_account,
    "profile": _export_profile,
    "consents": _export_consents,
    "closure_requests": _export_closure_requests,
}


def register_export_section(name: str, build: ExportSection) -> None:
    """Add a section (e.g. "complaints") to every citizen's data export."""
    EXPORT_SECTIONS[name] = build


def citizen_data_export(*, user: User) -> dict[str, Any]:
    """Everything held about ``user``, JSON-ready, including the full national ID (it is theirs)."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for name, build in EXPORT_SECTIONS.items():
        data[name] = build(user)
    return data
