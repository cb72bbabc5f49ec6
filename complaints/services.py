"""Every write about filing a complaint goes through these functions (HackSoft style)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from accounts import crypto
from accounts.models import CitizenProfile, ConsentRecord, User
from accounts.services import record_consent
from complaints.evidence import StagedFile, attach_staged
from complaints.line_messages import confirmation_message
from complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintConsent,
    ComplaintDraft,
    ComplaintFollower,
    State,
    StateChange,
)
from complaints.tracking import next_tracking_number
from core import centre
from line_integration.outbox import enqueue_to_user

__all__ = ["CONSENT_CHANGED", "FIRST_PUBLIC_NOTE", "Complainant", "complaint_submit"]

FIRST_PUBLIC_NOTE = "ได้รับเรื่องร้องเรียนแล้ว อยู่ระหว่างการตรวจสอบ"
CONSENT_CHANGED = "consent_changed"
CONFIRMATION_PURPOSE = "complaints.confirmation"


def _consent_revision(consent: ComplaintConsent | None, revision_id) -> Revision:
    """The revision the citizen accepted, which must still be the live one (PDPA section 19)."""
    if consent is None or not consent.live or consent.live_revision_id is None:
        raise ValidationError(
            _("ขณะนี้ยังไม่มีข้อตกลงการให้ความยินยอม จึงยังยื่นเรื่องไม่ได้ กรุณาติดต่อสายด่วน %(hotline)s")
            % centre.texts(),
            code=CONSENT_CHANGED,
        )
    if str(consent.live_revision_id) != str(revision_id):
        raise ValidationError(
            _("ข้อตกลงการให้ความยินยอมมีการปรับปรุง กรุณาอ่านฉบับล่าสุดและยืนยันอีกครั้ง"),
            code=CONSENT_CHANGED,
        )
    return Revision.objects.get(pk=consent.live_revision_id)


def _check_area(details: dict) -> None:
    province, district, subdistrict = (
        details["province"],
        details["district"],
        details["subdistrict"],
    )
    if district.province_id != province.pk:
        raise ValidationError({"district": _("อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก")})
    if subdistrict.district_id != district.pk:
        raise ValidationError({"subdistrict": _("ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก")})


def _position(details: dict) -> dict:
    latitude, longitude = details.get("latitude"), details.get("longitude")
    if latitude is None or longitude is None:
        return {"latitude": None, "longitude": None, "location_accuracy_m": None}
    accuracy = details.get("accuracy")
    return {
        "latitude": Decimal(str(latitude)).quantize(Decimal("0.000001")),
        "longitude": Decimal(str(longitude)).quantize(Decimal("0.000001")),
        "location_accuracy_m": None if accuracy is None else round(float(accuracy)),
    }


def _existing(submission_key: uuid.UUID, citizen: User) -> Complaint | None:
    found = Complaint.objects.filter(submission_key=submission_key).first()
    if found is not None and found.citizen_id != citizen.pk:
        raise ValidationError(_("ไม่สามารถยื่นเรื่องนี้ได้ กรุณาเริ่มกรอกใหม่"), code="key_taken")
    return found


@dataclass(frozen=True)
class Complainant:
    """The person a partner system files for (Open311): they have no account here, so their
    name comes with the request instead of from a profile, and no national ID is known."""

    title: str
    first_name: str
    last_name: str
    address: str = ""


def complaint_submit(
    *,
    citizen: User,
    submission_key: uuid.UUID,
    contact: dict,
    details: dict,
    evidence: list[StagedFile],
    conceal_identity: bool,
    consent: ComplaintConsent | None,
    consent_revision_id: int | str | None,
    client_ip: str | None,
    complainant: Complainant | None = None,
    internal_note: str = "",
    profile: CitizenProfile | None = None,
) -> tuple[Complaint, bool]:
    """File a complaint: all of it, or nothing. Returns ``(complaint, created)``.

    The same ``submission_key`` always gives the same complaint, so a double click, a resent
    form or a retry after a lost answer never files twice (``created`` is then False).
    ``contact`` holds the ``phone`` (E.164) and ``email`` chosen in step ๑; ``details`` the
    cleaned fields of step ๒ (``category``, ``details``, ``target_agency``, ``target_place``,
    ``target_address``, ``province``, ``district``, ``subdistrict``, ``latitude``,
    ``longitude``, ``accuracy``). The citizen's name, address and national ID are copied from
    their profile as they are now: the complaint is an official record that later profile
    edits must not rewrite. The LINE receipt is queued in the same transaction, so it is only
    sent if the complaint exists.

    A partner system (Open311) files with ``citizen`` its own account and ``complainant`` the
    person it files for; consent was collected by the partner under its agreement with the
    centre, so ``consent`` is None and no consent record is written. ``internal_note`` goes on
    the first history entry (where the case came from), for officers only. ``profile`` is the
    citizen's profile with its areas when the caller has just read it (the wizard has).
    """
    existing = _existing(submission_key, citizen)
    if existing is not None:
        return existing, False
    if complainant is None:
        if profile is None or profile.user_id != citizen.pk:
            # With its areas: the complaint copies the address as text (one query, not four).
            profile = CitizenProfile.objects.select_related(
                "province", "district", "subdistrict"
            ).get(user=citizen)
        revision = _consent_revision(consent, consent_revision_id)
    else:
        profile, revision = _partner_snapshot(complainant), None
    _check_area(details)
    try:
        with transaction.atomic():
            complaint = _create(
                citizen=citizen,
                profile=profile,
                submission_key=submission_key,
                contact=contact,
                details=details,
                conceal_identity=conceal_identity,
                consent=consent,
                revision=revision,
                client_ip=client_ip,
                internal_note=internal_note,
            )
            attach_staged(complaint=complaint, staged=evidence)
            enqueue_to_user(
                user=citizen,
                messages=[confirmation_message(complaint)],
                purpose=CONFIRMATION_PURPOSE,
                dedupe_key=f"complaint-confirmation:{complaint.pk}",
            )
    except IntegrityError:
        # Two requests with the same key raced; the one that committed is the complaint.
        existing = _existing(submission_key, citizen)
        if existing is None:
            raise
        return existing, False
    return complaint, True


def _create(
    *,
    citizen,
    profile,
    submission_key,
    contact,
    details,
    conceal_identity,
    consent,
    revision,
    client_ip,
    internal_note,
) -> Complaint:
    now = timezone.now()
    consent_record: ConsentRecord | None = None
    if revision is not None:
        consent_record = record_consent(
            user=citizen,
            kind=ConsentRecord.Kind.COMPLAINT_CONSENT,
            revision=revision,
            text_title=consent.title[:255],
            ip_address=client_ip,
        )
    complaint = Complaint.objects.create(
        tracking_number=next_tracking_number(at=now),
        citizen=citizen,
        submission_key=submission_key,
        complainant_title=profile.title,
        complainant_first_name=profile.first_name,
        complainant_last_name=profile.last_name,
        complainant_national_id_encrypted=profile.national_id_encrypted,
        complainant_phone=contact["phone"],
        complainant_email=contact.get("email") or "",
        complainant_address=profile.address_text,
        category=details["category"],
        details=details["details"],
        target_agency=details.get("target_agency", ""),
        target_place=details.get("target_place", ""),
        target_address=details.get("target_address", ""),
        target_province=details["province"],
        target_district=details["district"],
        target_subdistrict=details["subdistrict"],
        **_position(details),
        conceal_identity=conceal_identity,
        consent=consent_record,
        client_ip=client_ip,
        report_due_at=Complaint.due_from(now),
        state=State.UNDER_REVIEW,
    )
    StateChange.objects.create(
        complaint=complaint,
        from_state="",
        to_state=State.UNDER_REVIEW,
        by=citizen,
        public_note=FIRST_PUBLIC_NOTE,
        internal_note=internal_note,
    )
    return complaint


@dataclass(frozen=True)
class _PartnerProfile:
    """What ``_create`` reads from a citizen's profile, for a person filed for by a partner."""

    title: str
    first_name: str
    last_name: str
    national_id_encrypted: str
    address_text: str


def _partner_snapshot(complainant: Complainant) -> _PartnerProfile:
    return _PartnerProfile(
        title=complainant.title,
        first_name=complainant.first_name,
        last_name=complainant.last_name,
        national_id_encrypted=crypto.encrypt(""),
        address_text=complainant.address,
    )


# Drafts an officer prepares for a citizen to finish -------------------------------------------

__all__ += ["complaint_draft_claim", "complaint_draft_create", "complaint_draft_mark_used"]

DRAFT_DETAILS_MAX = 4000


def complaint_draft_create(
    *,
    citizen: User | None,
    category: ComplaintCategory | None,
    details: str,
    created_by: User,
    source: str = "",
) -> ComplaintDraft:
    """Prepare a complaint for a citizen (or for whoever opens the link, when ``citizen`` is
    None); nothing is filed until the citizen checks it in the wizard and confirms."""
    details = (details or "").strip()
    if not details:
        raise ValidationError({"details": _("กรุณากรอกรายละเอียดการร้องเรียน")}, code="required")
    if len(details) > DRAFT_DETAILS_MAX:
        raise ValidationError(
            {"details": _("รายละเอียดยาวเกินกำหนด 4,000 ตัวอักษร")}, code="max_length"
        )
    return ComplaintDraft.objects.create(
        citizen=citizen, category=category, details=details, created_by=created_by, source=source
    )


def complaint_draft_claim(*, token, citizen: User) -> ComplaintDraft | None:
    """The unused draft behind a link, if this citizen may finish it: their own, or one made
    for nobody in particular (it becomes theirs). None for an unknown, used or foreign token."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    with transaction.atomic():
        draft = (
            ComplaintDraft.objects.select_for_update()
            .filter(token=token, used_at__isnull=True)
            .first()
        )
        if draft is None:
            return None
        if draft.citizen_id is None:
            draft.citizen = citizen
            draft.save(update_fields=["citizen"])
        elif draft.citizen_id != citizen.pk:
            return None
    return draft


def complaint_draft_mark_used(*, token, citizen: User, complaint: Complaint) -> bool:
    """The citizen filed the complaint their draft started: the link works no more."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return False
    updated = ComplaintDraft.objects.filter(
        token=token, citizen=citizen, used_at__isnull=True
    ).update(used_at=timezone.now(), complaint=complaint)
    return bool(updated)


# Following a case someone else filed ------------------------------------------------------

__all__ += ["complaint_follow", "complaint_unfollow"]


def complaint_follow(*, complaint: Complaint, citizen: User) -> ComplaintFollower:
    """ "ติดตามเรื่องนี้": the citizen joins an open case of the filing hint instead of filing
    the same problem again; they get its state changes in LINE and see it in their list.

    Only what the hint offers can be joined: an open case filed in the last
    ``nearby.WINDOW_DAYS`` days that is not theirs (``ValidationError`` otherwise). Joining
    twice is joining once.
    """
    from complaints.nearby import WINDOW_DAYS

    if getattr(citizen, "citizen_profile", None) is None:
        raise ValidationError(_("ติดตามเรื่องได้เฉพาะผู้ที่ลงทะเบียนเป็นประชาชน"), code="not_citizen")
    if complaint.citizen_id == citizen.pk:
        raise ValidationError(_("เรื่องนี้เป็นเรื่องของท่านเอง"), code="own")
    too_old = complaint.submitted_at < timezone.now() - timedelta(days=WINDOW_DAYS)
    if complaint.state not in (State.UNDER_REVIEW, State.IN_PROGRESS) or too_old:
        raise ValidationError(_("เรื่องนี้ปิดรับการติดตามแล้ว"), code="closed")
    follower, _created = ComplaintFollower.objects.get_or_create(
        complaint=complaint, citizen=citizen, defaults={"source": ComplaintFollower.Source.JOINED}
    )
    return follower


def complaint_unfollow(*, complaint: Complaint, citizen: User) -> bool:
    """Stop following; the case leaves the citizen's list. True when they were following."""
    deleted, _rows = ComplaintFollower.objects.filter(complaint=complaint, citizen=citizen).delete()
    return bool(deleted)
