"""Django's form renderer, with the plain inputs and text areas written in Python.

Every citizen's page is a form, and Django draws each input through two templates of its own
(the widget's, which includes input.html, which includes attrs.html, looping over every
attribute). Those templates are short and fixed, so here they are written out with the same
markup and escaping; every other template (selects have their own, core/choices.py; radios,
file inputs with a "clear" box, the admin's widgets) goes through the templates as before.
tests/core/test_form_renderer.py compares both for each widget, value and attribute kind.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "password",
        "number",
        "hidden",
        "url",
        "tel",
        "date",
        "datetime",
        "time",
        "search",
        "color",
        "checkbox",
        "file",
    )
}
TEXTAREA = f"{_WIDGETS}textarea.html"


def _as_s(value) -> str:
    """``{{ value|stringformat:'s' }}``: str(), escaped unless it was marked safe."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = conditional_escape(name)
        parts.append(f" {name}" if value is True else f' {name}="{_as_s(value)}"')
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name in INPUTS:
            value = widget["value"]
            shown = "" if value is None else f' value="{_as_s(value)}"'
            # The renderer strips what it renders: the templates' final newlines are not kept.
            return (
                f'<input type="{conditional_escape(widget["type"])}" '
                f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
            )
        if widget is not None and template_name == TEXTAREA and isinstance(widget["value"], str):
            value = widget["value"]
            text = conditional_escape(value) if value else ""
            name = conditional_escape(widget["name"])
            return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
        return super().render(template_name, context, request)
