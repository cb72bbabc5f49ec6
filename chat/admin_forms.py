"""Forms of the officers' conversation page: the answer, the transfer and the complaint draft.
Thai messages next to the field; what the officer typed comes back with any error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import chat_officers, staff_name
from chat.services import TEXT_MAX

DRAFT_DETAILS_MAX = 4000  # as the complaint form's details


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("ข้อความตอบกลับ"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        error_messages={
            "required": _("กรุณาพิมพ์ข้อความตอบกลับ"),
            "max_length": _("ข้อความยาวเกิน %(limit_value)s ตัวอักษร"),
        },
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("กรุณาพิมพ์ข้อความตอบกลับ"), code="required")
        return text


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return staff_name(obj)


class TransferForm(forms.Form):
    to = OfficerChoiceField(
        label=_("โอนให้เจ้าหน้าที่"),
        queryset=None,
        empty_label=_("— เลือกเจ้าหน้าที่ —"),
        error_messages={
            "required": _("กรุณาเลือกเจ้าหน้าที่ที่จะรับโอน"),
            "invalid_choice": _("เจ้าหน้าที่ที่เลือกรับโอนไม่ได้"),
        },
    )

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        officers = chat_officers()
        if exclude is not None:
            officers = officers.exclude(pk=exclude.pk)
        self.fields["to"].queryset = officers


class DraftForm(forms.Form):
    """Turns a chat into a complaint draft the citizen finishes (chat.drafts)."""

    category = forms.ModelChoiceField(
        label=_("ประเภทเรื่อง"),
        queryset=None,
        empty_label=_("— เลือกประเภท —"),
        error_messages={
            "required": _("กรุณาเลือกประเภทเรื่อง"),
            "invalid_choice": _("ประเภทเรื่องที่เลือกใช้ไม่ได้แล้ว"),
        },
    )
    details = forms.CharField(
        label=_("รายละเอียดเรื่อง"),
        max_length=DRAFT_DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DRAFT_DETAILS_MAX}),
        error_messages={
            "required": _("กรุณากรอกรายละเอียดเรื่อง"),
            "max_length": _("รายละเอียดยาวเกิน %(limit_value)s ตัวอักษร"),
        },
    )

    def __init__(self, *args, **kwargs):
        from complaints.selectors import active_categories

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()
