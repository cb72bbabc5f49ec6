"""Django's form renderer, with the plain inputs, text areas, radios and tick-box lists written
in Python.

Every citizen's page is a form, and Django draws each input through two templates of its own
(the widget's, which includes input.html, which includes attrs.html, looping over every
attribute), and each radio button through four. Those templates are short and fixed, so here
they are written out with the same markup and escaping; every other template (selects have their
own, core/choices.py; file inputs with a "clear" box, date parts, the admin's widgets) goes
through the templates as before. tests/core/test_form_renderer.py compares both for each widget,
value and attribute kind.
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
# Radios and tick-box lists: multiple_input.html, one option template each (input_option.html
# around input.html).
CHOICE_LISTS = {f"{_WIDGETS}radio.html", f"{_WIDGETS}checkbox_select.html"}
CHOICE_OPTIONS = {f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html"}


def _as_s(value) -> str:
    """``{{ value|stringformat:'s' }}``: str(), escaped unless it was marked safe."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False left out, True bare (core/choices.py's selects
    write theirs with it too)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = conditional_escape(name)
        parts.append(f" {name}" if value is True else f' {name}="{_as_s(value)}"')
    return "".join(parts)


def _text_or_none(value) -> bool:
    """A text area's value that its template writes as it is (None: an empty box)."""
    return value is None or isinstance(value, str)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name in INPUTS:
            # The renderer strips what it renders: the templates' final newlines are not kept.
            return _input(widget)
        if widget is not None and template_name == TEXTAREA and _text_or_none(widget["value"]):
            value = widget["value"]
            text = conditional_escape(value) if value else ""
            name = conditional_escape(widget["name"])
            return f'<textarea name="{name}"{attrs_html(widget["attrs"])}>\n{text}</textarea>'
        if widget is not None and template_name in CHOICE_LISTS and _plain_options(widget):
            return _choice_list(widget)
        if widget is not None and template_name in CHOICE_OPTIONS:
            # One radio of a list a page lays out itself: {{ radio }} inside its label,
            # {{ radio.tag }} without it.
            return _option(widget) if widget.get("wrap_label") else _input(widget)
        return super().render(template_name, context, request)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_as_s(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attrs_html(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    """django/forms/widgets/input_option.html for an option inside its label."""
    option_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)}\n {conditional_escape(option['label'])}</label>"


def _plain_options(widget: dict) -> bool:
    """Django's own option templates, each option inside its label."""
    return all(
        option["template_name"] in CHOICE_OPTIONS and option.get("wrap_label")
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _choice_list(widget: dict) -> str:
    """django/forms/widgets/multiple_input.html with input_option.html for each option."""
    attrs = widget["attrs"]
    list_id, list_class = attrs.get("id"), attrs.get("class")
    parts = ["<div"]
    if list_id:
        parts.append(f' id="{conditional_escape(list_id)}"')
    if list_class:
        parts.append(f' class="{conditional_escape(list_class)}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            # Each included template's final newline stays in the page (input.html's, then
            # input_option.html's and radio_option.html's).
            parts.append(f"<div>\n    {_option(option)}\n\n</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)
