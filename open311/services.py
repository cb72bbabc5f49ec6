"""Filing a partner's request: through ``complaints.services.complaint_submit``, the wizard's
own service (tracking number, first history entry, LINE receipt through the outbox, all in
one transaction), and a record of which partner sent it."""

import uuid

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from complaints.services import Complainant, complaint_submit
from open311.forms import NewRequest
from open311.models import ApiKey, PartnerRequest


def _origin_note(key: ApiKey, request: NewRequest) -> str:
    lines = [f"รับเรื่องผ่าน Open311 จาก {key.partner_name} (กุญแจ {key.prefix}…)"]
    if request.media_url:
        lines.append(f"สื่อประกอบจากผู้ส่ง (ยังไม่ได้ดาวน์โหลดหรือตรวจสอบ): {request.media_url}")
    return "\n".join(lines)


def partner_request_submit(*, key: ApiKey, request: NewRequest, client_ip: str | None) -> Complaint:
    """File what a partner POSTed, as its key's account, for the person it names."""
    with transaction.atomic():
        complaint, _created = complaint_submit(
            citizen=key.account,
            submission_key=uuid.uuid4(),
            contact=request.contact,
            details=request.details,
            evidence=[],
            conceal_identity=request.conceal_identity,
            consent=None,
            consent_revision_id=None,
            client_ip=client_ip,
            complainant=Complainant(
                title=request.title, first_name=request.first_name, last_name=request.last_name
            ),
            internal_note=_origin_note(key, request),
        )
        PartnerRequest.objects.create(
            complaint=complaint,
            api_key=key,
            media_url=request.media_url,
            partner_account_id=request.account_id,
            partner_device_id=request.device_id,
        )
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return complaint
