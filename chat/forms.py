"""What a citizen sends from /chat/: a message (text, a picture, or both) and the 1-5 score of a
finished chat. Plain forms, so the page works without JavaScript; every write goes through
chat.services."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chat import services
from chat.models import ChatMessage, Conversation
from complaints.forms_tracking import SCORE_LABELS, counter_attrs
from core.uploads import MAX_FILE_BYTES

IMAGE_ACCEPT = "image/jpeg,image/png,.jpg,.jpeg,.png"
IMAGE_REFUSED = _(
    "ส่งรูปภาพนี้ไม่ได้ ไฟล์ต้องเป็นรูปภาพ JPEG หรือ PNG ที่เปิดดูได้ ขนาดไม่เกิน 10 MB กรุณาเลือกรูปภาพอื่น"
)


def start_conversation(*, citizen, line_account) -> Conversation:
    """The citizen's open conversation, or a new one from the web. A LINE account that once
    belonged to someone else never leads into that person's conversation."""
    conversation, _created = services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=citizen, line_account=line_account
    )
    if conversation.citizen_id not in (None, citizen.pk):
        conversation, _created = services.conversation_start(
            channel=Conversation.Channel.WEB, citizen=citizen, line_account=None
        )
    return conversation


class _Refused(Exception):
    """The picture failed the evidence checks: undo the whole send."""


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("ข้อความ"),
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs=counter_attrs(
                services.TEXT_MAX,
                _("ข้อความยาวเกินกำหนด 2,000 ตัวอักษร"),
                _("ความยาวข้อความอยู่ในกำหนดแล้ว"),
            )
            | {"rows": 3}
        ),
        error_messages={
            "null_characters_not_allowed": _("ข้อความมีอักขระที่ใช้ไม่ได้ กรุณาพิมพ์ใหม่"),
        },
    )
    image = forms.FileField(
        label=_("แนบรูปภาพ (ถ้ามี)"),
        required=False,
        help_text=_("ไฟล์ JPEG หรือ PNG ขนาดไม่เกิน 10 MB"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        error_messages={
            "invalid": IMAGE_REFUSED,
            "empty": _("ไฟล์รูปภาพว่างเปล่า กรุณาเลือกไฟล์อีกครั้ง"),
        },
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        # Counted as the page's counter counts (code points, a line break as one character);
        # the text is never cut, so the citizen can shorten it themselves.
        length = len(text.replace("\r\n", "\n"))
        if length > services.TEXT_MAX:
            raise forms.ValidationError(
                _("ข้อความยาวเกิน 2,000 ตัวอักษร (ขณะนี้ %(length)s) กรุณาตัดให้สั้นลง"),
                code="max_length",
                params={"length": f"{length:,}"},
            )
        return text.replace("\r\n", "\n")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("รูปภาพมีขนาดเกิน 10 MB"), code="file_too_large")
        return image

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text") and not cleaned.get("image"):
            self.add_error("text", _("กรุณาพิมพ์ข้อความหรือแนบรูปภาพ"))
        return cleaned

    def is_end_request(self) -> bool:
        """ "จบการสนทนา" typed in the box, as the greeting says one may."""
        text = self.cleaned_data.get("text", "")
        return not self.cleaned_data.get("image") and text.strip().lower() in services.END_WORDS

    def send(self, *, citizen, line_account) -> Conversation | None:
        """Open (or continue) the citizen's conversation and store what they sent, all or
        nothing: a refused picture leaves no trace, and the form then says why."""
        text, image = self.cleaned_data.get("text"), self.cleaned_data.get("image")
        try:
            with transaction.atomic():
                conversation = start_conversation(citizen=citizen, line_account=line_account)
                if image:
                    message, _created = services.citizen_message_receive(
                        conversation=conversation,
                        kind=ChatMessage.Kind.IMAGE,
                        image_status=ChatMessage.ImageStatus.PENDING,
                    )
                    status = services.store_image(
                        message=message, content=image.read(), name=image.name or "image.jpg"
                    )
                    if status != ChatMessage.ImageStatus.READY:
                        message.delete()
                        raise _Refused
                if text:
                    services.citizen_message_receive(
                        conversation=conversation, kind=ChatMessage.Kind.TEXT, text=text
                    )
        except _Refused:
            self.add_error("image", IMAGE_REFUSED)
            return None
        return conversation


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("ให้คะแนนความพึงพอใจ"),
        choices=list(SCORE_LABELS.items()),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("กรุณาเลือกคะแนน 1 ถึง 5"),
            "invalid_choice": _("กรุณาเลือกคะแนน 1 ถึง 5"),
        },
    )

    def star_choices(self) -> list[dict]:
        """Five large rows (5 first), drawn like the complaint rating page."""
        current = str(self.data.get(self.add_prefix("score"), "")) if self.is_bound else ""
        return [
            {
                "value": score,
                "label": SCORE_LABELS[score],
                "id": f"id_score_{score}",
                "checked": current == str(score),
            }
            for score in range(5, 0, -1)
        ]
