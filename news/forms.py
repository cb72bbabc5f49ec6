from django import forms
from django.utils.translation import gettext_lazy as _


class NewsPreferenceForm(forms.Form):
    receive_news = forms.BooleanField(
        label=_("รับข่าวสารศูนย์ดำรงธรรมทาง LINE"),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_receive_news_help"}),
        help_text=_(
            "ข่าวประชาสัมพันธ์ กิจกรรม และประกาศของศูนย์ฯ ไม่มีผลกับการแจ้งความคืบหน้าเรื่องร้องเรียนของท่าน"
        ),
    )
