"""Read-only queries about accounts; callers pass the logged-in user, never an id from a URL.

``citizen_data_export`` is the PDPA "right of access" copy (section 30): everything the centre
holds about one person. It is built from sections; every other app that keeps personal data
(complaints, LINE link, live chat, news preference) adds its own from its ``ready()``::

    register_export_section("complaints", build, summary=summarise)

- ``build(user) -> JSON-able value``: the section of the downloaded file (dates as ISO text).
- ``summary(user) -> DataSummary | None`` (optional): one line on the "ข้อมูลของฉัน" page, so the
  citizen sees the section exists before downloading (``citizen_data_summaries``).

Accounts knows none of those apps: they import this module, never the reverse.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AccountClosureRequest, CitizenProfile, ConsentRecord, User
from addresses.models import District, Province, Subdistrict
from core.choices import kept_row
from core.registry import Registry
from core.rows import KeyLookup

ExportSection = Callable[[User], Any]


@dataclass(frozen=True)
class DataSummary:
    """A line of the "ข้อมูลของฉัน" page: "เรื่องร้องเรียน: 3 เรื่อง", linking to more."""

    label: str
    value: str
    url: str = ""


SummaryBuilder = Callable[[User], DataSummary | None]


_PROFILE_OF_USER = KeyLookup(CitizenProfile, "user")


def citizen_profile_for(*, user: User) -> CitizenProfile | None:
    """The user's own profile with its areas, or None for staff accounts.

    Every complaint step reads it, so it is one plain query, built once per process
    (core.rows): its ``user`` is the one given (the same row), and its province, district and
    subdistrict come from the areas kept in each process (core.choices.kept_row; they change
    only when the areas are loaded anew), not joined again: building the joins' columns cost
    the ORM more than the query itself."""
    if not user.is_authenticated:
        return None
    profile = _PROFILE_OF_USER.get(user.pk)
    if profile is not None:
        profile.user = user
        profile.province = kept_row(Province, profile.province_id)
        profile.district = kept_row(District, profile.district_id)
        profile.subdistrict = kept_row(Subdistrict, profile.subdistrict_id)
    return profile


def citizen_consents(*, user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).order_by("-accepted_at")


def closure_requests_of(*, user: User) -> QuerySet[AccountClosureRequest]:
    return AccountClosureRequest.objects.filter(user=user).order_by("-requested_at")


def pending_closure_request(*, user: User) -> AccountClosureRequest | None:
    return (
        closure_requests_of(user=user).filter(status=AccountClosureRequest.Status.PENDING).first()
    )


def iso_date(value) -> str | None:
    """A date or time of the export as ISO 8601 text (every section writes dates this way)."""
    return value.isoformat() if value else None


def area_export(area) -> dict[str, str]:
    """A province, district or subdistrict in the export: its official code and Thai name."""
    return {"code": area.code, "name": area.name_th}


def _export_account(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "is_active": user.is_active,
        "date_joined": iso_date(user.date_joined),
        "last_login": iso_date(user.last_login),
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
        "birth_date": iso_date(profile.birth_date),
        "phone": profile.phone,
        "house_number": profile.house_number,
        "moo": profile.moo,
        "soi": profile.soi,
        "road": profile.road,
        "subdistrict": area_export(profile.subdistrict),
        "district": area_export(profile.district),
        "province": area_export(profile.province),
        "postal_code": profile.postal_code,
        "address": profile.address_text,
        "created_at": iso_date(profile.created_at),
        "updated_at": iso_date(profile.updated_at),
    }


def _export_consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": consent.kind,
            "kind_label": str(consent.get_kind_display()),
            "text_title": consent.text_title,
            "revision_id": consent.revision_id,
            "accepted_at": iso_date(consent.accepted_at),
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
            "requested_at": iso_date(closure.requested_at),
            "handled_at": iso_date(closure.handled_at),
            "note": closure.note,
        }
        for closure in closure_requests_of(user=user)
    ]


@dataclass(frozen=True)
class _ExportSection:
    build: ExportSection
    summary: SummaryBuilder | None = None


# The sections of the export, in order, each with its optional summary line on the page.
# Extend with register_export_section().
EXPORT_SECTIONS: Registry[_ExportSection] = Registry("PDPA export section")


def register_export_section(
    name: str,
    build: ExportSection,
    *,
    summary: SummaryBuilder | None = None,
    override: bool = False,
) -> None:
    """Add a section (e.g. "complaints") to every citizen's data export, and optionally its
    summary line on the page. A name registers once unless ``override=True``."""
    EXPORT_SECTIONS.register(name, _ExportSection(build, summary), override=override)


register_export_section("account", _export_account)
register_export_section("profile", _export_profile)
register_export_section("consents", _export_consents)
register_export_section("closure_requests", _export_closure_requests)


def citizen_data_export(*, user: User) -> dict[str, Any]:
    """Everything held about ``user``, JSON-ready, including the full national ID (it is theirs)."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section.build(user)
    return data


def citizen_data_summaries(*, user: User) -> list[DataSummary]:
    """The summary lines of the other apps' sections, for the "ข้อมูลของฉัน" page."""
    lines = (s.summary(user) for s in EXPORT_SECTIONS.values() if s.summary is not None)
    return [line for line in lines if line is not None]
