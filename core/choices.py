"""Lists to choose from that cost little to show: the citizen's pages carry the 77 provinces,
a province's districts and subdistricts and the complaint categories on every address step.

Django renders each <option> through a template include of its own and reads a model choice
list through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE,
FETCH, CLOSE: three round trips for 77 rows). Here the options are written in Python, with the
same markup and escaping as Django's templates, and the rows come from one plain query.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: False left out, True bare."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class Select(forms.Select):
    """django's Select, written without a template per option (same HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = [
            format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('  <optgroup label="{}">', group_name))
            for option in options:
                lines.append(
                    format_html(
                        '  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),
                        option["label"],
                    )
                )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return mark_safe("\n".join(lines))


class PlainModelChoiceIterator(ModelChoiceIterator):
    """The rows with one ordinary query (no server-side cursor)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """A short list of rows (areas, categories), read with one query and shown with
    ``Select``."""

    iterator = PlainModelChoiceIterator
    widget = Select
