"""The four action forms on a case's admin page. Each carries the version of the case the
officer was looking at, so a save made meanwhile by someone else is refused, not overwritten."""

from django import forms
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.roles import case_officers, staff_name
from complaints.models import Agency, ClosedReason, Complaint, State
from complaints.workflow import NOTE_MAX, allowed_targets
from core.uploads import ACCEPT, MAX_FILE_BYTES

MAX_ATTACHMENT_BYTES = MAX_FILE_BYTES
NOTE_MAX_CHARS = NOTE_MAX


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return staff_name(obj)


def _note(label, help_text="", required=False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _public_note():
    return _note(_("ข้อความถึงผู้ร้องเรียน"), _("ผู้ร้องเรียนจะเห็นข้อความนี้ในหน้าติดตามเรื่อง"))


def _internal_note(required=False):
    return _note(_("บันทึกภายใน"), _("เห็นเฉพาะเจ้าหน้าที่"), required=required)


def _attachment():
    return forms.FileField(
        label=_("ไฟล์แนบ (เฉพาะเจ้าหน้าที่)"),
        required=False,
        help_text=_("ไม่บังคับ รูปภาพ (JPEG, PNG, HEIC) หรือ PDF ขนาดไม่เกิน 10 MB"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


class ActionForm(forms.Form):
    """Base: the hidden version and a prefix per action, so four forms share one page."""

    action = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, complaint: Complaint, **kwargs):
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"version": complaint.version})
        super().__init__(*args, **kwargs)
        self.complaint = complaint

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _("ไฟล์แนบมีขนาดเกิน %(size)s") % {"size": filesizeformat(MAX_ATTACHMENT_BYTES)},
                code="too_big",
            )
        return upload


class ChangeStateForm(ActionForm):
    action = "state"

    to_state = forms.ChoiceField(label=_("สถานะใหม่"))
    public_note = _public_note()
    internal_note = _internal_note()
    closed_reason = forms.ChoiceField(
        label=_("เหตุผลที่ยุติเรื่อง"),
        required=False,
        choices=[("", _("— เลือกเมื่อยุติเรื่อง —")), *ClosedReason.choices],
    )
    attachment = _attachment()

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, complaint=complaint, **kwargs)
        self.fields["to_state"].choices = [
            (state, State(state).label) for state in allowed_targets(complaint.state)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_state") == State.CLOSED and not cleaned.get("closed_reason"):
            self.add_error("closed_reason", _("กรุณาเลือกเหตุผลที่ยุติเรื่อง"))
        if cleaned.get("to_state") != State.CLOSED:
            cleaned["closed_reason"] = ""
        return cleaned


class AssignForm(ActionForm):
    action = "assign"

    officer = OfficerChoiceField(
        label=_("เจ้าหน้าที่ผู้รับผิดชอบ"),
        queryset=get_user_model().objects.none(),
        empty_label=_("— เลือกเจ้าหน้าที่ —"),
    )
    internal_note = _internal_note()

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, complaint=complaint, **kwargs)
        self.fields["officer"].queryset = case_officers()
        if complaint.assigned_officer_id:
            self.initial.setdefault("officer", complaint.assigned_officer_id)


class ForwardForm(ActionForm):
    action = "forward"

    agency = forms.ModelChoiceField(
        label=_("หน่วยงานที่ส่งต่อ"),
        queryset=Agency.objects.none(),
        empty_label=_("— เลือกหน่วยงาน —"),
    )
    public_note = _public_note()
    internal_note = _internal_note()

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, complaint=complaint, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by(
            "kind", "name"
        )


class NoteForm(ActionForm):
    action = "note"

    internal_note = _internal_note(required=True)
    attachment = _attachment()


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form for form in (ChangeStateForm, AssignForm, ForwardForm, NoteForm)
}


class MergeForm(forms.Form):
    """Merge a likely duplicate with the case on the page: which one goes on, and what the
    complainant of the one that closes is told. Both versions travel, as in ActionForm."""

    action = "merge"
    KEEP_THIS, KEEP_OTHER = "this", "other"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    other = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    other_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    keep = forms.ChoiceField(label=_("เรื่องที่ดำเนินการต่อ"), widget=forms.RadioSelect)
    public_note = _note(
        _("ข้อความถึงผู้ร้องของเรื่องที่ยุติ"),
        _("ไม่บังคับ ถ้าเว้นว่าง ระบบแจ้งว่าเป็นเรื่องซ้ำและจะได้รับความคืบหน้าของเรื่องที่ดำเนินการต่อ"),
    )

    def __init__(self, *args, complaint: Complaint, other: Complaint | None = None, **kwargs):
        kwargs.setdefault("prefix", self.action)
        if other is not None:
            kwargs.setdefault("auto_id", f"id_merge_{other.pk}_%s")
            older_is_this = (complaint.submitted_at, complaint.pk) <= (other.submitted_at, other.pk)
            kwargs.setdefault(
                "initial",
                {
                    "version": complaint.version,
                    "other": other.pk,
                    "other_version": other.version,
                    "keep": self.KEEP_THIS if older_is_this else self.KEEP_OTHER,
                },
            )
        super().__init__(*args, **kwargs)
        self.complaint, self.other = complaint, other
        this_number = complaint.tracking_number
        other_number = other.tracking_number if other is not None else _("เรื่องที่เลือก")
        self.fields["keep"].choices = [
            (
                self.KEEP_THIS,
                _("ดำเนินการต่อในเรื่องนี้ (%(this)s) ยุติเรื่อง %(other)s เป็นเรื่องซ้ำ")
                % {"this": this_number, "other": other_number},
            ),
            (
                self.KEEP_OTHER,
                _("ดำเนินการต่อในเรื่อง %(other)s ยุติเรื่องนี้ (%(this)s) เป็นเรื่องซ้ำ")
                % {"this": this_number, "other": other_number},
            ),
        ]


class BulkActionForm(forms.Form):
    """The list's "ดำเนินการกับเรื่องที่เลือก": one action for every ticked case. Each tick carries
    "<id>:<version>" (the version the list showed), so a case changed since is refused alone."""

    ACTION_CHOICES = (
        ("assign", _("มอบหมายเจ้าหน้าที่")),
        ("forward", _("ส่งต่อหน่วยงาน")),
        ("state", _("เปลี่ยนสถานะ")),
    )

    selected = forms.Field(label=_("เรื่องที่เลือก"), required=False, widget=forms.MultipleHiddenInput)
    bulk_action = forms.ChoiceField(
        label=_("การดำเนินการ"),
        choices=[("", _("— เลือกการดำเนินการ —")), *ACTION_CHOICES],
        error_messages={"required": _("กรุณาเลือกการดำเนินการ")},
    )
    officer = OfficerChoiceField(
        label=_("เจ้าหน้าที่ผู้รับผิดชอบ"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— เลือกเจ้าหน้าที่ —"),
    )
    agency = forms.ModelChoiceField(
        label=_("หน่วยงานที่ส่งต่อ"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— เลือกหน่วยงาน —"),
    )
    to_state = forms.ChoiceField(
        label=_("สถานะใหม่"), required=False, choices=[("", _("— เลือกสถานะ —")), *State.choices]
    )
    closed_reason = forms.ChoiceField(
        label=_("เหตุผลที่ยุติเรื่อง"),
        required=False,
        choices=[("", _("— เลือกเมื่อยุติเรื่อง —")), *ClosedReason.choices],
    )
    public_note = _note(
        _("ข้อความถึงผู้ร้องเรียน (ทุกเรื่องที่เลือก)"),
        _("ผู้ร้องเรียนแต่ละเรื่องจะเห็นข้อความนี้ ห้ามระบุชื่อหรือข้อมูลของผู้ร้องคนใด"),
    )

    def __init__(self, *args, actions: tuple[str, ...] = ("assign", "forward", "state"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bulk_action"].choices = [
            choice for choice in self.fields["bulk_action"].choices if choice[0] in ("", *actions)
        ]
        self.fields["officer"].queryset = case_officers()
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by(
            "kind", "name"
        )

    def clean_selected(self) -> dict[int, int]:
        """{case id: version}; a tick that is not "<id>:<version>" is ignored."""
        chosen = {}
        for value in self.cleaned_data.get("selected") or []:
            pk, _sep, version = str(value).partition(":")
            if pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit():
                if len(pk) < 19 and len(version) < 10:
                    chosen[int(pk)] = int(version)
        if not chosen:
            raise forms.ValidationError(_("กรุณาเลือกเรื่องอย่างน้อยหนึ่งเรื่อง"))
        return chosen

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("bulk_action")
        if action == "assign" and not cleaned.get("officer"):
            self.add_error("officer", _("กรุณาเลือกเจ้าหน้าที่"))
        if action == "forward" and not cleaned.get("agency"):
            self.add_error("agency", _("กรุณาเลือกหน่วยงาน"))
        if action == "state":
            if not cleaned.get("to_state"):
                self.add_error("to_state", _("กรุณาเลือกสถานะใหม่"))
            elif cleaned["to_state"] == State.CLOSED:
                if not cleaned.get("closed_reason"):
                    self.add_error("closed_reason", _("กรุณาเลือกเหตุผลที่ยุติเรื่อง"))
                if not cleaned.get("public_note", "").strip():
                    self.add_error("public_note", _("กรุณาเขียนข้อความแจ้งผู้ร้องว่าเหตุใดจึงยุติเรื่อง"))
        return cleaned
