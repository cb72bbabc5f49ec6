"""The citizen's two forms on a filed complaint: the satisfaction rating and the reopen request.

Plain forms so that the pages work without JavaScript; the rules (who, when, how often) live in
complaints.workflow, which the views call.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 2000
REASON_MAX = 2000

SCORE_LABELS = {
    1: _("ควรปรับปรุงมาก"),
    2: _("ควรปรับปรุง"),
    3: _("พอใช้"),
    4: _("ดี"),
    5: _("ดีมาก"),
}
LOW_SCORES = frozenset({1, 2})


def counter_attrs(limit: int, too_long: str, ok: str) -> dict:
    """What static/js/char-counter.js reads (the server still checks the length)."""
    return {
        "data-char-counter": limit,
        "data-counter-over-by": _("เกินกำหนด {n} ตัวอักษร กรุณาตัดให้สั้นลง"),
        "data-counter-too-long": too_long,
        "data-counter-ok": ok,
        "rows": 4,
    }


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("ความพึงพอใจต่อการดำเนินการ"),
        choices=[(score, label) for score, label in SCORE_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("กรุณาเลือกคะแนน 1 ถึง 5 ดาว"),
            "invalid_choice": _("กรุณาเลือกคะแนน 1 ถึง 5 ดาว"),
        },
    )
    comment = forms.CharField(
        label=_("ความคิดเห็นเพิ่มเติม (ถ้ามี)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(
            attrs=counter_attrs(
                COMMENT_MAX,
                _("ความคิดเห็นยาวเกินกำหนด 2,000 ตัวอักษร"),
                _("ความยาวความคิดเห็นอยู่ในกำหนดแล้ว"),
            )
        ),
        error_messages={
            "max_length": _("ความคิดเห็นยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (ขณะนี้ %(show_value)d)"),
        },
    )

    def star_choices(self) -> list[dict]:
        """The five choices as the page draws them: stars, the Thai label, checked or not."""
        current = (
            str(self.data.get(self.add_prefix("score"), ""))
            if self.is_bound
            else str(self.initial.get("score", ""))
        )
        return [
            {
                "value": score,
                "label": label,
                "id": f"id_score_{score}",
                "checked": current == str(score),
            }
            for score, label in SCORE_LABELS.items()
        ]


class ReopenForm(forms.Form):
    """ขอเปิดเรื่องใหม่: the reason is required; the version seen travels along."""

    reason = forms.CharField(
        label=_("เหตุผลที่ขอเปิดเรื่องใหม่"),
        max_length=REASON_MAX,
        help_text=_("เช่น ปัญหายังไม่ได้รับการแก้ไข หรือกลับมาเกิดขึ้นอีก"),
        widget=forms.Textarea(
            attrs=counter_attrs(
                REASON_MAX,
                _("เหตุผลยาวเกินกำหนด 2,000 ตัวอักษร"),
                _("ความยาวเหตุผลอยู่ในกำหนดแล้ว"),
            )
        ),
        error_messages={
            "required": _("กรุณาระบุเหตุผลที่ขอเปิดเรื่องใหม่"),
            "max_length": _("เหตุผลยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (ขณะนี้ %(show_value)d)"),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
