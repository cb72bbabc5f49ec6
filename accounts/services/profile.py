"""Profile, "my data" (PDPA), password change and reset, account closure.

Other apps that can reach a person (LINE pushes, open chats) add what closing an account means
for them with ``register_closure_step(name, step)`` from their ``ready()``: ``step(user)`` runs
inside the closure's transaction, after the account is deactivated, and must not message the
person. A name registers once (a second registration raises unless ``override=True``). Steps
run by ``order`` (lower first, then in registration order); a step that releases the links
others follow (the LINE link) registers a high ``order`` so the rest still find them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountClosureRequest, CitizenProfile, User
from accounts.validators import normalize_thai_phone
from addresses.models import District, Province, Subdistrict
from core.registry import Registry

__all__ = [
    "citizen_update_contact",
    "closure_request_complete",
    "closure_request_create",
    "closure_request_reject",
    "end_user_sessions",
    "register_closure_step",
]

CLOSURE_PERMISSION = "accounts.change_accountclosurerequest"

ClosureStep = Callable[[User], object]


@dataclass(frozen=True)
class _RegisteredStep:
    order: int
    step: ClosureStep


CLOSURE_STEPS: Registry[_RegisteredStep] = Registry("account closure step")


def register_closure_step(
    name: str, step: ClosureStep, *, order: int = 100, override: bool = False
) -> None:
    """Run ``step(user)`` whenever an account is closed."""
    CLOSURE_STEPS.register(name, _RegisteredStep(order, step), override=override)


def closure_steps() -> list[ClosureStep]:
    """The steps by ``order``; ties keep their registration order (the sort is stable)."""
    ordered = sorted(CLOSURE_STEPS.values(), key=lambda registered: registered.order)
    return [registered.step for registered in ordered]


@transaction.atomic
def citizen_update_contact(
    *,
    profile: CitizenProfile,
    phone: str,
    email: str,
    house_number: str,
    moo: str,
    soi: str,
    road: str,
    province: Province,
    district: District,
    subdistrict: Subdistrict,
) -> CitizenProfile:
    """Save what a citizen may change themself; names, birth date and ID stay with the centre.

    The area chain is checked again here because a form is not the only possible caller.
    """
    if district.province_id != province.pk:
        raise ValidationError({"district": _("อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก")})
    if subdistrict.district_id != district.pk:
        raise ValidationError({"subdistrict": _("ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก")})
    profile.phone = normalize_thai_phone(phone)
    profile.house_number = house_number.strip()
    profile.moo = moo.strip()
    profile.soi = soi.strip()
    profile.road = road.strip()
    profile.province = province
    profile.district = district
    profile.subdistrict = subdistrict
    profile.postal_code = subdistrict.postal_code
    profile.save()
    user = profile.user
    user.email = (email or "").strip()
    user.save(update_fields=["email"])
    return profile


@transaction.atomic
def closure_request_create(*, user: User, reason: str) -> AccountClosureRequest:
    """Record a citizen's wish to close the account; one pending request at a time."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if AccountClosureRequest.objects.filter(
        user=user, status=AccountClosureRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("ท่านได้ส่งคำขอปิดบัญชีไว้แล้ว และอยู่ระหว่างการดำเนินการของเจ้าหน้าที่"),
            code="duplicate",
        )
    return AccountClosureRequest.objects.create(
        user=user, username=user.username, reason=(reason or "").strip()
    )


def end_user_sessions(*, user: User) -> int:
    """Delete every database session logged in as ``user``; returns how many were ended.

    Sessions are signed blobs, so each live one is decoded; the table stays small because
    expired rows are removed by ``clearsessions``.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _lock_pending(request_obj: AccountClosureRequest, by: User) -> AccountClosureRequest:
    if not by.has_perm(CLOSURE_PERMISSION):
        raise PermissionDenied
    locked = AccountClosureRequest.objects.select_for_update().get(pk=request_obj.pk)
    if locked.status != AccountClosureRequest.Status.PENDING:
        raise ValidationError(_("คำขอนี้ได้รับการดำเนินการไปแล้ว"), code="handled")
    return locked


def _finish(locked: AccountClosureRequest, *, status: str, by: User, note: str) -> None:
    locked.status = status
    locked.handled_at = timezone.now()
    locked.handled_by = by
    locked.note = (note or "").strip()
    locked.save(update_fields=["status", "handled_at", "handled_by", "note"])


@transaction.atomic
def closure_request_complete(
    *, request_obj: AccountClosureRequest, by: User, note: str = ""
) -> AccountClosureRequest:
    """Close the account: no more log-in, contact data blanked, sessions ended, and the other
    apps' closure steps run (LINE link released, open chats closed: nothing reaches the person).

    The CitizenProfile row with names and ID stays, because complaints already filed are
    official records that must still say who filed them.
    """
    locked = _lock_pending(request_obj, by)
    user = locked.user
    if user is not None:
        user.is_active = False
        user.set_unusable_password()
        user.email = ""
        user.save(update_fields=["is_active", "password", "email"])
        profile = CitizenProfile.objects.filter(user=user).first()
        if profile is not None:
            profile.phone = ""
            profile.house_number = profile.moo = profile.soi = profile.road = ""
            profile.save(
                update_fields=["phone", "house_number", "moo", "soi", "road", "updated_at"]
            )
        end_user_sessions(user=user)
        for step in closure_steps():
            step(user)
    _finish(locked, status=AccountClosureRequest.Status.DONE, by=by, note=note)
    return locked


@transaction.atomic
def closure_request_reject(
    *, request_obj: AccountClosureRequest, by: User, note: str
) -> AccountClosureRequest:
    """Refuse a request (e.g. it was not made by the account holder); the reason is kept."""
    if not (note or "").strip():
        raise ValidationError({"note": _("กรุณาระบุเหตุผลที่ไม่อนุมัติ")})
    locked = _lock_pending(request_obj, by)
    _finish(locked, status=AccountClosureRequest.Status.REJECTED, by=by, note=note)
    return locked
