"""Lists to choose from that cost little to show: the citizen's pages carry the 77 provinces,
a province's districts and subdistricts and the complaint categories on every address step.

Django renders each <option> through a template include of its own (and before that builds a
dictionary of attributes for each), and reads a model choice list through
``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH, CLOSE:
three round trips for 77 rows). Here the options are written in Python, with the same markup and
escaping as Django's templates, and the rows come from one plain query. A list whose rows never
change while the site runs (``static_choices``: Thailand's areas, loaded by a migration) is read
and escaped once per process for each query and language, and then only the chosen option is
marked, and a chosen row is looked up once per process (a copy of it is handed out).
"""

import copy

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.form_renderer import attrs_html


def _option(value, label) -> tuple[str, str, str]:
    """(the value as the form sends it back, the value escaped, the label escaped)."""
    value = "" if value is None else str(value)
    return value, escape(value), conditional_escape(label)


def flat_options(choices) -> list[tuple[str, str, str]] | None:
    """The options of a list without groups, ready to write; None for a list with groups."""
    ready = getattr(choices, "ready_options", None)
    if ready is not None:
        return ready()
    options = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        options.append(_option(value, label))
    return options


class Select(forms.Select):
    """django's Select, written without a template per option (same HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        options = flat_options(self.choices)
        if options is None:
            return self._render_groups(name, value, attrs)
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        wanted = set(self.format_value(value))
        lines = [format_html('<select name="{}"{}>', name, mark_safe(attrs_html(final_attrs)))]
        chosen = False
        for raw, value_html, label_html in options:
            selected = (not chosen or self.allow_multiple_selected) and raw in wanted
            chosen |= selected
            mark = " selected" if selected else ""
            lines.append(f'  <option value="{value_html}"{mark}>{label_html}</option>')
        lines.append("</select>")
        return mark_safe("\n".join(lines))

    def _render_groups(self, name, value, attrs):
        widget = self.get_context(name, value, attrs)["widget"]
        select_attrs = mark_safe(attrs_html(widget["attrs"]))
        lines = [format_html('<select name="{}"{}>', widget["name"], select_attrs)]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('  <optgroup label="{}">', group_name))
            for option in options:
                lines.append(
                    format_html(
                        '  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        mark_safe(attrs_html(option["attrs"])),
                        option["label"],
                    )
                )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return mark_safe("\n".join(lines))


# Options of static lists, per (model, query, empty label, language): at most a province list,
# 77 district lists and 928 subdistrict lists for each language; and the rows chosen from them,
# per (model, query, value).
_KEPT: dict[tuple, object] = {}
KEEP_AT_MOST = 16384  # every area row and list, in both languages, is about 11,000


def forget_static_options() -> None:
    """Read static lists again (after loading the areas anew)."""
    _KEPT.clear()


class PlainModelChoiceIterator(ModelChoiceIterator):
    """The rows with one ordinary query (no server-side cursor)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)

    def ready_options(self) -> list[tuple[str, str, str]]:
        if not self.field.static_choices:
            return [_option(value, label) for value, label in self]
        empty = None if self.field.empty_label is None else str(self.field.empty_label)
        key = (*self.field.list_key(), empty, get_language())
        return kept(key, lambda: [_option(value, label) for value, label in self])


def kept(key: tuple, compute):
    """What ``compute()`` gives for a static list, worked out once per process under ``key``
    (a tuple naming what it is, e.g. ("district options", province code, language)); forgotten
    with the lists by ``forget_static_options``."""
    value = _KEPT.get(key)
    if value is None:
        value = compute()
        _keep(key, value)
    return value


def _keep(key: tuple, value) -> None:
    if len(_KEPT) >= KEEP_AT_MOST:
        _KEPT.clear()
    _KEPT[key] = value


class ModelChoiceField(forms.ModelChoiceField):
    """A short list of rows (areas, categories), read with one query and shown with
    ``Select``. ``static_choices=True`` for rows that never change while the site runs."""

    iterator = PlainModelChoiceIterator
    widget = Select

    def __init__(self, *args, static_choices: bool = False, **kwargs):
        self.static_choices = static_choices
        super().__init__(*args, **kwargs)

    # What tells one static list from another: (model, the SQL of its query) or (model, *the key
    # given to use_static_list), in a box shared by the form class's field and its copies in
    # each form (copied forms keep the queryset), so that the SQL is worked out once per
    # process; a new queryset gets a new box.
    def _set_queryset(self, queryset):
        forms.ModelChoiceField._set_queryset(self, queryset)
        self._list_box = [None]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._list_box = self._list_box
        return result

    def use_static_list(self, queryset, *, key: tuple) -> None:
        """Show ``queryset``, known by ``key`` (unique for the model, e.g. ("districts of",
        province code)): a static list's key without working out its SQL in every form."""
        self.queryset = queryset
        self._list_box[0] = (queryset.model, *key)

    def list_key(self) -> tuple:
        box = self._list_box
        if box[0] is None:
            box[0] = (self.queryset.model, str(self.queryset.query))
        return box[0]

    def to_python(self, value):
        """Django's (the row of the list with that value, or "not one of the choices"); for a
        static list the row is read once per process, and each form gets a copy of it."""
        if not self.static_choices or value in self.empty_values:
            return super().to_python(value)
        if isinstance(value, self.queryset.model):
            value = getattr(value, self.to_field_name or "pk")
        key = (*self.list_key(), "row", str(value))
        # A refused value raises in Django's to_python and is not kept.
        row = kept(key, lambda: super(ModelChoiceField, self).to_python(value))
        return _copy_row(row)


def kept_row(model, pk):
    """A row of a static list (Thailand's areas) by its primary key, read once per process;
    each caller gets a copy of its own. ``model.DoesNotExist`` as the ORM's ``get()``."""
    row = kept((model, "row", str(pk)), lambda: model._default_manager.get(pk=pk))
    return _copy_row(row)


def _copy_row(row):
    """A copy of a kept row for one form (copy.copy goes through pickling's __reduce__, twice
    as slow): its own field values and state, no cached relations."""
    new = row.__class__.__new__(row.__class__)
    new.__dict__.update(row.__dict__)
    new._state = copy.copy(row._state)
    new._state.fields_cache = {}
    return new
