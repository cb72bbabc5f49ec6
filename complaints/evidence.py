"""Evidence files for a complaint (ขั้นตอนที่ ๓): stage, attach, clean up.

Each upload is checked and cleaned by ``core.uploads.check_upload``. Flow: the wizard calls
``stage_files`` on each upload step (files wait in ``wizard_upload_storage`` under random names,
described by ``StagedFile`` dicts in the session), then ``attach_staged`` inside the submit
transaction. ``cleanup_stale_uploads`` removes what abandoned wizards left behind; run it daily
(task ``cleanup_wizard_uploads_task`` or command ``manage.py cleanup_wizard_uploads``).
"""

import hashlib
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import EvidenceFile
from core.storage import private_storage, wizard_upload_storage
from core.uploads import CONTENT_TYPES, CheckedFile, check_upload

MAX_FILES = 5
# What the picker offers: any picture (so that phones offer the camera next to the gallery and
# files) and PDFs; core.uploads decides what is kept, with a Thai message for anything else.
PICKER_ACCEPT = "image/*,application/pdf,.pdf,.jpg,.jpeg,.png,.heic,.heif"
MAX_TOTAL_BYTES = 25 * 1024 * 1024
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass
class StagedFile:
    """A checked file waiting in ``wizard_upload_storage`` until the complaint is submitted.

    ``to_dict()`` is JSON-serialisable for the wizard session; ``from_dict()`` refuses
    anything that could not have come from ``stage_files`` (the token names a file on disk).
    """

    token: str
    original_name: str
    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        return f"{self.token}.{self.extension}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "StagedFile":
        staged = cls(**{name: data[name] for name in cls.__dataclass_fields__})
        if not _TOKEN.fullmatch(str(staged.token)) or staged.extension not in CONTENT_TYPES:
            raise ValueError("not a staged evidence file")
        return staged


def stage_files(uploads: list, *, already: list[StagedFile]) -> list[StagedFile]:
    """Check new uploads and keep them in the wizard's temporary storage.

    Raises one ValidationError listing every problem (bad files, more than MAX_FILES counting
    ``already``, more than MAX_TOTAL_BYTES stored in all); then nothing is staged. A file
    identical to one already staged (or picked twice) is skipped silently. Returns only the
    new StagedFile objects; the caller appends them to its list.
    """
    errors: list[str] = []
    checked: list[CheckedFile] = []
    seen = {staged.sha256 for staged in already}
    full = len(already) >= MAX_FILES  # then refuse without decoding anything
    for upload in [] if full else uploads[:MAX_FILES]:
        try:
            item = check_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if item.sha256 not in seen:
            seen.add(item.sha256)
            checked.append(item)
    too_many = full or len(uploads) > MAX_FILES or len(already) + len(checked) > MAX_FILES
    if uploads and too_many:
        message = _("แนบไฟล์ได้ไม่เกิน %(max)d ไฟล์") % {"max": MAX_FILES}
        if already:
            message += " " + _("(แนบไว้แล้ว %(count)d ไฟล์)") % {"count": len(already)}
        errors.insert(0, message)
    total = sum(staged.size for staged in already) + sum(item.size for item in checked)
    if total > MAX_TOTAL_BYTES:
        errors.append(_("ขนาดไฟล์รวมเกิน 25 MB"))
    if errors:
        raise ValidationError(errors)
    return _write_staged(checked)


def _write_staged(checked: list[CheckedFile]) -> list[StagedFile]:
    staged: list[StagedFile] = []
    try:
        for item in checked:
            entry = StagedFile(
                token=secrets.token_hex(16),
                original_name=item.original_name,
                kind=item.kind,
                content_type=item.content_type,
                extension=item.extension,
                size=item.size,
                sha256=item.sha256,
            )
            saved = wizard_upload_storage.save(entry.storage_name, ContentFile(item.content))
            if saved != entry.storage_name:
                raise OSError(f"temporary name taken: {entry.storage_name}")
            staged.append(entry)
    except BaseException:
        for entry in staged:
            discard_staged(entry)
        raise
    return staged


def discard_staged(staged: StagedFile) -> None:
    """Delete the temporary file (the citizen removed it, or it has been attached)."""
    wizard_upload_storage.delete(staged.storage_name)


def open_staged(staged: StagedFile) -> bytes:
    """The staged bytes, e.g. for a preview; FileNotFoundError once cleaned up."""
    with wizard_upload_storage.open(staged.storage_name, "rb") as handle:
        return handle.read()


def attach_staged(*, complaint, staged: list[StagedFile]) -> list[EvidenceFile]:
    """Store the staged files as the complaint's evidence. Call inside the submit
    transaction (after the complaint is saved): the temporary files are deleted only once it
    commits. A file gone from temporary storage, or changed there, raises ValidationError
    asking the citizen to attach it again, and the transaction should roll back."""
    if len(staged) > MAX_FILES or sum(item.size for item in staged) > MAX_TOTAL_BYTES:
        raise ValidationError(_("แนบไฟล์ได้ไม่เกิน %(max)d ไฟล์ รวมไม่เกิน 25 MB") % {"max": MAX_FILES})
    contents = [_staged_content(item) for item in staged]
    created: list[EvidenceFile] = []
    try:
        for item, content in zip(staged, contents, strict=True):
            evidence = EvidenceFile(
                complaint=complaint,
                original_name=item.original_name,
                kind=item.kind,
                content_type=CONTENT_TYPES[item.extension],
                size=len(content),
                sha256=item.sha256,
            )
            evidence.file.save(f"evidence.{item.extension}", ContentFile(content), save=False)
            created.append(evidence)
            evidence.save()
    except BaseException:
        for evidence in created:
            evidence.file.delete(save=False)
        raise

    def discard_all() -> None:
        for item in staged:
            discard_staged(item)

    transaction.on_commit(discard_all)
    return created


def _staged_content(item: StagedFile) -> bytes:
    try:
        content = open_staged(item)
    except FileNotFoundError:
        content = None
    if content is None or hashlib.sha256(content).hexdigest() != item.sha256:
        raise ValidationError(
            _("ไฟล์ %(name)s หมดเวลาเก็บชั่วคราวแล้ว กรุณาแนบไฟล์นี้อีกครั้ง") % {"name": item.original_name},
            code="staged_missing",
        )
    return content


def cleanup_stale_uploads(*, older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete temporary wizard uploads older than ``older_than`` (abandoned wizards), and
    evidence files no EvidenceFile row points to (a submit that rolled back after writing
    them). Returns how many files were deleted."""
    cutoff = timezone.now() - older_than
    deleted = _delete_old(wizard_upload_storage, "", cutoff, keep=set())
    try:
        years, _files = private_storage.listdir("evidence")
    except FileNotFoundError:
        years = []
    for year in years:
        folder = f"evidence/{year}"
        rows = EvidenceFile.objects.filter(file__startswith=f"{folder}/")
        kept = set(rows.values_list("file", flat=True))
        deleted += _delete_old(private_storage, folder, cutoff, keep=kept)
    return deleted


def _delete_old(storage, folder: str, cutoff, *, keep: set[str]) -> int:
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    deleted = 0
    for filename in files:
        name = f"{folder}/{filename}" if folder else filename
        if name in keep:
            continue
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted += 1
        except FileNotFoundError:
            continue
    return deleted


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """A file input that takes several files at once (``<input type=file multiple>``) and
    cleans to a list of UploadedFile objects ([] when none). It checks nothing about the
    files: pass the list to ``stage_files``, whose messages know what is already staged."""

    def __init__(self, *, accept: str = PICKER_ACCEPT, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        uploads = [self.to_python(item) for item in items if item not in self.empty_values]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads

    def has_changed(self, initial, data):
        return bool(data)
