"""The lists to choose from (core/choices.py): Django's markup, written without a template per
option, and the rows read with one query."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.utils import translation

from addresses.forms import AddressFieldsMixin
from addresses.models import Province
from core.choices import ModelChoiceField, Select, forget_static_options


class Tags(HTMLParser):
    """The elements with their attributes as sets (attribute order is no difference) and text."""

    def __init__(self, html):
        super().__init__()
        self.items = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, frozenset(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def django_select(widget, name, value, attrs):
    return forms.Select.render(widget, name, value, attrs=attrs)


CHOICES = [
    ("", "เลือก"),
    ("a", 'ตลาด <สด> & "ใหม่"'),
    ("กลุ่ม", [("b", "บี"), ("c", "ซี")]),
    (3, "สาม"),
]


@pytest.mark.parametrize("value", ["", "a", "c", 3, ["a", "c"]])
def test_the_same_markup_as_django_templates(value):
    widget = Select(choices=CHOICES, attrs={"data-x": 'y"<', "disabled": True, "hidden": False})
    attrs = {"id": "id_area", "required": True, "aria-invalid": "true"}
    ours = widget.render("area", value, attrs=attrs)
    assert Tags(ours).items == Tags(django_select(widget, "area", value, attrs)).items
    assert "&lt;สด&gt; &amp; &quot;ใหม่&quot;" in ours


@pytest.mark.django_db
def test_the_province_list_is_one_query(django_assert_num_queries):
    class Form(AddressFieldsMixin, forms.Form):
        pass

    forget_static_options()  # read by an earlier test in this process
    form = Form(initial={"province": "60"})
    with django_assert_num_queries(1):
        html = str(form["province"])
    assert html.count("<option") == Province.objects.count() + 1
    assert '<option value="60" selected>นครสวรรค์</option>' in html
    assert 'data-address-level="province"' in html


@pytest.mark.django_db
def test_a_choice_is_still_checked_against_the_rows():
    field = ModelChoiceField(queryset=Province.objects.all())
    assert field.clean("60").name_th == "นครสวรรค์"
    with pytest.raises(forms.ValidationError):
        field.clean("99")


@pytest.mark.django_db
def test_area_lists_are_read_once_per_process_and_mark_each_forms_choice(
    django_assert_num_queries,
):
    class Form(AddressFieldsMixin, forms.Form):
        pass

    forget_static_options()
    first = Form(initial={"province": "60", "district": "6001"})
    with django_assert_num_queries(3):  # provinces, Nakhon Sawan's districts, subdistricts
        html = "".join(str(first[name]) for name in ("province", "district", "subdistrict"))
    assert '<option value="60" selected>นครสวรรค์</option>' in html
    assert '<option value="6001" selected>เมืองนครสวรรค์</option>' in html

    other = Form(initial={"province": "10", "district": "6001"})
    with django_assert_num_queries(1):  # Bangkok's districts are a list not read yet
        html = "".join(str(other[name]) for name in ("province", "district"))
    assert '<option value="10" selected>กรุงเทพมหานคร</option>' in html
    assert '<option value="60">นครสวรรค์</option>' in html
    assert "เมืองนครสวรรค์" not in html  # not Bangkok's
    again = Form(initial={"province": "60"})
    with django_assert_num_queries(0):
        html = str(again["province"]) + str(again["district"])
    assert '<option value="60" selected>นครสวรรค์</option>' in html
    assert 'value="6001">เมืองนครสวรรค์</option>' in html

    with translation.override("en"), django_assert_num_queries(1):
        html = str(Form(initial={"province": "60"})["province"])
    assert '<option value="60" selected>Nakhon Sawan</option>' in html
    assert '<option value="">' in html


def test_a_flat_list_marks_only_the_first_matching_option():
    widget = Select(choices=[("a", "เอ"), ("a", "เอซ้ำ"), ("b", "บี")])
    html = widget.render("x", "a")
    assert html.count(" selected") == 1
    assert Tags(html).items == Tags(django_select(widget, "x", "a", None)).items


@pytest.mark.django_db
def test_a_chosen_area_is_read_once_per_process_and_a_wrong_one_always_refused(
    django_assert_num_queries,
):
    class Form(AddressFieldsMixin, forms.Form):
        pass

    forget_static_options()
    chosen = {"province": "60", "district": "6001", "subdistrict": "600101"}
    first = Form(data=chosen)
    with django_assert_num_queries(3):
        assert first.is_valid(), first.errors
    again = Form(data=chosen)
    with django_assert_num_queries(0):
        assert again.is_valid(), again.errors
    assert again.cleaned_data["subdistrict"].name_th == first.cleaned_data["subdistrict"].name_th
    assert again.cleaned_data["subdistrict"].district_id == "6001"
    # Each form has its own copy: what one request does to it is not seen by the next.
    assert again.cleaned_data["province"] is not first.cleaned_data["province"]
    again.cleaned_data["province"].name_th = "แก้แล้ว"
    later = Form(data=chosen)
    assert later.is_valid()
    assert later.cleaned_data["province"].name_th == "นครสวรรค์"

    # Bangkok's first district, sent with Nakhon Sawan: not one of the province's districts,
    # however often it is sent.
    for _ in range(2):
        wrong = Form(data={**chosen, "district": "1001"})
        assert not wrong.is_valid()
        assert wrong.errors["district"] == ["อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก"]


@pytest.mark.django_db
def test_a_list_replaced_in_one_form_is_that_forms_alone():
    """The list's key is shared by the form class's field and its copies (so its SQL is worked
    out once); a queryset set on one form's field is a list of its own, and the class's list
    is unchanged for the next form."""

    class Form(forms.Form):
        province = ModelChoiceField(
            queryset=Province.objects.order_by("code"), static_choices=True, empty_label=None
        )

    forget_static_options()
    assert str(Form()["province"]).count("<option") == 77
    narrowed = Form()
    narrowed.fields["province"].queryset = Province.objects.filter(code__in=["10", "60"])
    assert str(narrowed["province"]).count("<option") == 2
    keyed = Form()
    keyed.fields["province"].use_static_list(Province.objects.filter(code="60"), key=("only", "60"))
    assert str(keyed["province"]).count("<option") == 1
    assert str(Form()["province"]).count("<option") == 77
    refused = Form(data={"province": "10"})
    refused.fields["province"].use_static_list(
        Province.objects.filter(code="60"), key=("only", "60")
    )
    assert not refused.is_valid()
    assert Form(data={"province": "10"}).is_valid()
