"""What every multi-step form of the site shares (registration, filing a complaint).

Nothing a citizen types is lost: "ย้อนกลับ" or "แก้ไข" keeps the step being left as a draft even
when it does not validate yet, a draft is shown again as typed (without error messages), and
each page carries the step bar with Thai numerals ("ขั้นตอนที่ ๒ จาก ๔").
"""

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.session import SessionStorage

from core.robot_check import NotARobotField, robot_fields

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
DRAFTS = "drafts"
ROBOT_PASSED = "robot_check_passed"


def thai_number(number: int) -> str:
    return str(number).translate(THAI_DIGITS)


class DraftKeepingWizardMixin:
    """For a formtools SessionWizardView. ``step_titles`` maps step names to their titles;
    ``draft_skip_fields`` names fields never kept in a draft (passwords)."""

    step_titles: dict = {}
    draft_skip_fields: tuple[str, ...] = ()

    @property
    def drafts(self) -> dict:
        return self.storage.extra_data.setdefault(DRAFTS, {})

    def get_form_initial(self, step):
        return {**super().get_form_initial(step), **self.drafts.get(step, {})}

    def get_form(self, step=None, data=None, files=None):
        form = super().get_form(step=step, data=data, files=files)
        if self.storage.extra_data.get(ROBOT_PASSED):
            for name in robot_fields(form):
                form.fields[name].mark_passed()
        return form

    def get_form_step_data(self, form):
        """A not-a-robot answer is used up once; the wizard checks every step again at the end,
        so it keeps "passed" for the rest of this run instead of the answer itself."""
        data = super().get_form_step_data(form)
        names = [form.add_prefix(name) for name in robot_fields(form)]
        if names:
            data = data.copy()
            for name in names:
                data.pop(name, None)
            self.storage.extra_data[ROBOT_PASSED] = True
        return data

    def _display_form(self, step):
        """A step as the citizen left it: their draft unvalidated, else their valid data."""
        if step in self.drafts:
            return self.get_form(step)
        return self.get_form(
            step, data=self.storage.get_step_data(step), files=self.storage.get_step_files(step)
        )

    def _save_draft(self, step) -> None:
        form_class = self.get_form_list()[step]
        prefix = self.get_form_prefix(step, form_class)
        draft = {}
        for name, field in form_class.base_fields.items():
            if name in self.draft_skip_fields or isinstance(field, NotARobotField):
                continue
            values = self.request.POST.getlist(f"{prefix}-{name}")
            if values:
                draft[name] = values if len(values) > 1 else values[0]
        self.drafts[step] = draft

    def post(self, *args, **kwargs):
        """formtools looks the posted step up without checking it exists (KeyError, a 500):
        a step name no browser could send is a bad request, like a missing management form."""
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if (
            management.is_valid()
            and management.cleaned_data["current_step"] not in self.get_form_list()
        ):
            raise SuspiciousOperation("ManagementForm names an unknown step.")
        return super().post(*args, **kwargs)

    def _posted_step(self) -> str:
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if management.is_valid() and management.cleaned_data["current_step"] in self.form_list:
            return management.cleaned_data["current_step"]
        return self.steps.current

    def _go_to(self, goto: str):
        """Leave the posted step for another one, keeping what was typed."""
        self._save_draft(self._posted_step())
        self.storage.current_step = goto
        return self.render(self._display_form(goto))

    def _show_draft(self, step):
        """The step again as posted, without errors (e.g. areas narrowed without JavaScript)."""
        self._save_draft(step)
        self.storage.current_step = step
        return self.render(self.get_form(step))

    def render_next_step(self, form, **kwargs):
        next_step = self.steps.next
        self.storage.current_step = next_step
        return self.render(self._display_form(next_step), **kwargs)

    def step_context(self) -> dict:
        current = self.steps.index
        return {
            "step_title": self.step_titles[self.steps.current],
            "step_number": thai_number(current + 1),
            "step_count": thai_number(self.steps.count),
            "step_bar": [
                {
                    "number": thai_number(index + 1),
                    "title": self.step_titles[name],
                    "state": "done" if index < current else "current" if index == current else "",
                }
                for index, name in enumerate(self.get_form_list())
            ],
        }


class EncryptedSessionStorage(SessionStorage):
    """formtools' session storage with everything the wizard keeps (each step as typed, the
    drafts, extra data) held in the session as one Fernet token under a key derived from
    FIELD_ENCRYPTION_KEY. The session table (and every backup of it) then never holds what a
    citizen typed readable, their national ID above all; the plain data lives only in memory
    during a request. For a view: ``storage_name = "core.wizards.EncryptedSessionStorage"``.
    A token the key cannot open (the key was changed) starts the wizard afresh."""

    def __init__(self, *args, **kwargs):
        self._plain = None
        super().__init__(*args, **kwargs)

    def _get_data(self):
        if self._plain is None:
            self._plain = _open_sealed(self.request.session.get(self.prefix))
            if self._plain is None:
                self.init_data()
        self.request.session.modified = True
        return self._plain

    def _set_data(self, value):
        self._plain = value
        self._seal()

    data = property(_get_data, _set_data)

    def _seal(self) -> None:
        self.request.session[self.prefix] = (
            _wizard_fernet(settings.FIELD_ENCRYPTION_KEY)
            .encrypt(json.dumps(self._plain).encode())
            .decode()
        )

    def update_response(self, response):
        """At the end of each request: what the request changed in place, sealed again."""
        if self._plain is not None:
            self._seal()
        super().update_response(response)


@lru_cache(maxsize=4)
def _wizard_fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ddc:wizard-storage")
    return Fernet(base64.urlsafe_b64encode(key.derive(secret.encode())))


def _open_sealed(token) -> dict | None:
    if not isinstance(token, str):
        return None
    try:
        data = json.loads(_wizard_fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return None
    return data if isinstance(data, dict) else None
