"""Registration: the one place a citizen's account, profile and consent are created."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.models import Revision

from accounts.crypto import lookup_hash
from accounts.models import CitizenProfile, ConsentRecord, PrivacyNotice
from accounts.validators import normalize_national_id, normalize_username

__all__ = ["citizen_register", "record_consent"]

User = get_user_model()


def record_consent(
    *,
    user,
    kind: str,
    revision: Revision | None,
    text_title: str,
    ip_address: str | None,
) -> ConsentRecord:
    """Keep proof of which text the person accepted, when and from where (PDPA section 19)."""
    with transaction.atomic():
        return ConsentRecord.objects.create(
            user=user, kind=kind, revision=revision, text_title=text_title, ip_address=ip_address
        )


def _check_unique(*, username: str, national_id: str) -> None:
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น")
    if CitizenProfile.objects.filter(national_id_hash=lookup_hash(national_id)).exists():
        errors["national_id"] = _("เลขประจำตัวประชาชนนี้ลงทะเบียนแล้ว")
    if errors:
        raise ValidationError(errors)


def _check_address(address: dict) -> None:
    province, district, subdistrict = (
        address["province"],
        address["district"],
        address["subdistrict"],
    )
    if district.province_id != province.pk:
        raise ValidationError({"district": _("อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก")})
    if subdistrict.district_id != district.pk:
        raise ValidationError({"subdistrict": _("ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก")})


def citizen_register(
    *,
    account: dict,
    person: dict,
    address: dict,
    notice: PrivacyNotice,
    ip_address: str | None,
) -> User:
    """Create the citizen's log-in, profile and consent record together, or nothing at all.

    ``account`` holds ``national_id``, ``username`` and either ``password`` (plain) or
    ``password_hash`` (already hashed, as the wizard keeps it so that no plain password sits
    in the session). ``person`` and ``address`` hold the cleaned fields of the other steps.
    The one-account-per-ID and user name checks are repeated here, inside the transaction,
    because two people may pass the form's checks at the same moment; the loser gets a
    ``ValidationError`` keyed by field, never a half-made account.
    """
    username = normalize_username(account["username"])
    national_id = normalize_national_id(account["national_id"])
    _check_address(address)
    with transaction.atomic():
        _check_unique(username=username, national_id=national_id)
        user = User(
            username=username,
            email=person["email"],
            first_name=person["first_name"],
            last_name=person["last_name"],
        )
        if account.get("password"):
            user.set_password(account["password"])
        else:
            user.password = account["password_hash"]
        profile = CitizenProfile(
            title=person["title"],
            first_name=person["first_name"],
            last_name=person["last_name"],
            birth_date=person["birth_date"],
            phone=person["phone"],
            house_number=address.get("house_number", ""),
            moo=address.get("moo", ""),
            soi=address.get("soi", ""),
            road=address.get("road", ""),
            province=address["province"],
            district=address["district"],
            subdistrict=address["subdistrict"],
            postal_code=address["subdistrict"].postal_code,
        )
        profile.set_national_id(national_id)
        try:
            with transaction.atomic():
                user.save()
                profile.user = user
                profile.save()
        except IntegrityError:
            _check_unique(username=username, national_id=national_id)
            raise
        record_consent(
            user=user,
            kind=ConsentRecord.Kind.PRIVACY_NOTICE,
            revision=notice.live_revision,
            text_title=notice.title,
            ip_address=ip_address,
        )
    return user
