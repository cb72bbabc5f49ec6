"""Filing a complaint (ร้องเรียนร้องทุกข์): consent, the four-step wizard and the receipt.

The citizen first reads the consent text and proves to be a person (เข้าระบบร้องเรียน); the
session then remembers which revision was accepted, and every step checks it is still the live
one. The wizard keeps what was typed like the registration wizard does ("ย้อนกลับ" and
"แก้ไข" keep drafts, errors re-show what was typed, the no-JavaScript area button), and
uploads are staged at once so that a refused file never costs the others.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from formtools.wizard.views import SessionWizardView

from accounts.selectors import citizen_profile_for
from accounts.validators import format_thai_phone
from addresses.forms import REFRESH_FIELD, is_refresh
from complaints import nearby, selectors
from complaints.evidence import MAX_FILES, StagedFile, discard_staged, stage_files
from complaints.forms import (
    CONCEAL,
    ComplainantForm,
    ConsentForm,
    DetailsForm,
    EvidenceForm,
    NearbyForm,
    ReviewForm,
)
from complaints.models import ComplaintConsent
from complaints.services import (
    CONSENT_CHANGED,
    complaint_draft_claim,
    complaint_draft_mark_used,
    complaint_submit,
)
from core import province
from core.http import client_ip
from core.storage import wizard_upload_storage
from core.wizards import DraftKeepingWizardMixin

CONSENT_SESSION_KEY = "complaint_consent"
DRAFT_SESSION_KEY = "complaint_draft_token"
DRAFT_TOKEN = "draft_token"
LAST_SUBMISSION_KEY = "complaint_last_submission"
STAGED = "staged_files"
SUBMISSION_KEY = "submission_key"
REMOVE_FIELD = "remove_file"
UPLOAD_FIELD = "upload_files"
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
STEP_TITLES = {
    "complainant": gettext_lazy("ข้อมูลผู้ร้องเรียน"),
    "details": gettext_lazy("รายละเอียดเรื่อง"),
    "evidence": gettext_lazy("หลักฐาน"),
    "review": gettext_lazy("ตรวจสอบและยืนยัน"),
}
DRAFT_NOTE = gettext_lazy(
    "เจ้าหน้าที่เตรียมร่างเรื่องร้องเรียนจากการสนทนาไว้ให้แล้ว กรุณาตรวจสอบและกรอกข้อมูลให้ครบ"
)
IDENTITY_LABELS = {
    CONCEAL: gettext_lazy("ปกปิดข้อมูล"),
    "disclose": gettext_lazy("เปิดเผยข้อมูล"),
}


def file_size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size).1f MB") % {"size": size / (1024 * 1024)}
    return _("%(size)s KB") % {"size": max(1, round(size / 1024))}


def map_settings() -> dict:
    """What the location script needs: tiles from settings, Leaflet's marker from our static."""
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        "icon_url": static("vendor/leaflet/images/marker-icon.png"),
        "icon_2x_url": static("vendor/leaflet/images/marker-icon-2x.png"),
        "shadow_url": static("vendor/leaflet/images/marker-shadow.png"),
        "leaflet_js": static("vendor/leaflet/leaflet.js"),
        "leaflet_css": static("vendor/leaflet/leaflet.css"),
    }


class CitizenRequiredMixin(LoginRequiredMixin):
    """Only registered citizens file complaints; staff accounts get a page that says so."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.profile = citizen_profile_for(user=request.user)
        if self.profile is None:
            return render(request, "complaints/citizens_only.html", status=403)
        return super().dispatch(request, *args, **kwargs)


def accepted_consent(request, consent: ComplaintConsent | None) -> dict | None:
    """The consent accepted in this session, if it is still the live revision."""
    accepted = request.session.get(CONSENT_SESSION_KEY)
    if not accepted or consent is None or consent.live_revision_id is None:
        return None
    if str(accepted.get("revision_id")) != str(consent.live_revision_id):
        return None
    return accepted


def wants_json(request) -> bool:
    """A request from one of the page's scripts, which asks for JSON (a browser's own form
    post accepts HTML)."""
    return request.headers.get("Accept", "").startswith("application/json")


def remember_draft_link(request) -> None:
    """``?draft=<token>`` (the link an officer's draft sends): kept in the session until the
    wizard opens, so that it survives the log-in and the consent page."""
    token = request.GET.get("draft", "").strip()
    if token:
        request.session[DRAFT_SESSION_KEY] = token[:64]


def ask_consent_again(request):
    """Back to "เข้าระบบร้องเรียน", saying why; what was typed stays in the wizard."""
    if request.session.pop(CONSENT_SESSION_KEY, None) is not None:
        messages.warning(
            request,
            _("ข้อตกลงการให้ความยินยอมมีการปรับปรุง กรุณาอ่านฉบับล่าสุดและยืนยันอีกครั้ง ข้อมูลที่ท่านกรอกไว้ยังอยู่ครบ"),
        )
    return redirect("complaints:new")


class ConsentView(CitizenRequiredMixin, View):
    """เข้าระบบร้องเรียน: the consent text, the not-a-robot check and "ยืนยัน"."""

    template_name = "complaints/consent.html"

    def get(self, request):
        remember_draft_link(request)
        return self._render(ConsentForm(live_revision_id=self._revision_id()))

    def post(self, request):
        revision_id = self._revision_id()
        form = ConsentForm(request.POST, live_revision_id=revision_id)
        if not form.is_valid():
            return self._render(form)
        request.session[CONSENT_SESSION_KEY] = {
            "revision_id": revision_id,
            "accepted_at": timezone.now().isoformat(),
            "ip": client_ip(request),
        }
        return redirect("complaints:wizard")

    def _revision_id(self) -> int | None:
        self.consent = ComplaintConsent.current()
        return getattr(self.consent, "live_revision_id", None)

    def _render(self, form):
        return render(self.request, self.template_name, {"consent": self.consent, "form": form})


class ComplaintWizard(CitizenRequiredMixin, DraftKeepingWizardMixin, SessionWizardView):
    form_list = [
        ("complainant", ComplainantForm),
        ("details", DetailsForm),
        ("evidence", EvidenceForm),
        ("review", ReviewForm),
    ]
    # Never used: uploads are staged by complaints.evidence, not kept by the wizard, but
    # formtools insists on a storage when a step has a file field.
    file_storage = wizard_upload_storage
    staging_errors: list[str] = []
    step_titles = STEP_TITLES

    def get_template_names(self):
        return [f"complaints/step_{self.steps.current}.html"]

    # --- what the wizard keeps besides the steps' data -----------------------------------

    @property
    def staged(self) -> list[StagedFile]:
        return [StagedFile.from_dict(item) for item in self.storage.extra_data.get(STAGED, [])]

    @staged.setter
    def staged(self, files: list[StagedFile]) -> None:
        self.storage.extra_data[STAGED] = [item.to_dict() for item in files]

    @property
    def submission_key(self) -> str:
        """Made when the wizard starts; the same key always files the same complaint."""
        return self.storage.extra_data.setdefault(SUBMISSION_KEY, str(uuid.uuid4()))

    def _restart(self) -> None:
        for item in self.staged:
            discard_staged(item)
        self.storage.reset()
        self.storage.current_step = self.steps.first
        self.storage.extra_data[SUBMISSION_KEY] = str(uuid.uuid4())

    # --- what each step's form is built from ---------------------------------------------

    def get_form(self, step=None, data=None, files=None):
        # Uploads never reach the wizard's storage: post() has staged them already.
        if (step or self.steps.current) == "evidence":
            files = None
        return super().get_form(step=step, data=data, files=files)

    def get_form_kwargs(self, step=None):
        if (step or self.steps.current) == "evidence":
            return {"staging_errors": self.staging_errors}
        return {}

    def get_form_initial(self, step):
        initial = {}
        if step == "complainant":
            initial = {
                "phone": format_thai_phone(self.profile.phone) if self.profile.phone else "",
                "email": self.request.user.email,
            }
        elif step == "details":
            initial = self._home_area()
        elif step == "review":
            initial = {"submission_key": self.submission_key}
        return {**initial, **super().get_form_initial(step)}

    def _home_area(self) -> dict:
        """Where the complaint is, first guess: the citizen's own district and subdistrict when
        they live in the centre's province (shown on the step, changed with two picks)."""
        profile = self.profile
        if str(profile.province_id) != province.code() or not profile.subdistrict_id:
            return {}
        return {
            "province": profile.province_id,
            "district": profile.district_id,
            "subdistrict": profile.subdistrict_id,
        }

    # --- requests ------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        """Continue where the citizen was; "เริ่มกรอกใหม่" (?restart) clears everything, and so
        does a draft an officer prepared (which then fills step ๒)."""
        remember_draft_link(request)
        if accepted_consent(request, ComplaintConsent.current()) is None:
            return ask_consent_again(request)
        token = request.session.pop(DRAFT_SESSION_KEY, None)
        if token and self._start_from_draft(token):
            return self.render(self.get_form())
        if "restart" in request.GET or self.storage.current_step is None:
            self._restart()
            return self.render(self.get_form())
        return self.render(self._display_form(self.steps.current))

    def _start_from_draft(self, token: str) -> bool:
        """Start again with step ๒ prefilled from the draft; a foreign or used link is only
        mentioned (whatever the citizen had typed stays)."""
        draft = complaint_draft_claim(token=token, citizen=self.request.user)
        if draft is None:
            messages.warning(
                self.request,
                _("ไม่พบร่างเรื่องร้องเรียนจากลิงก์นี้ หรือร่างนี้ใช้ยื่นเรื่องไปแล้ว ท่านกรอกเรื่องร้องเรียนได้ตามปกติ"),
            )
            return False
        self._restart()
        self.drafts["details"] = {
            "category": str(draft.category_id or ""),
            "details": draft.details,
        }
        self.storage.extra_data[DRAFT_TOKEN] = str(draft.token)
        messages.info(self.request, DRAFT_NOTE)
        return True

    def post(self, *args, **kwargs):
        step = self._posted_step()
        if step == "evidence" and wants_json(self.request):
            return self._evidence_from_script()
        if step == "review" and self._already_filed():
            return redirect("complaints:done", tracking_number=self._already_filed())
        if step == "evidence":
            self._stage_uploads()
        if accepted_consent(self.request, ComplaintConsent.current()) is None:
            self._save_draft(step)
            self._flash_staging_errors()
            return ask_consent_again(self.request)
        if step == "evidence" and self.request.POST.get(REMOVE_FIELD):
            self._remove_staged(self.request.POST[REMOVE_FIELD])
            return self._show_draft(step)
        if step == "evidence" and UPLOAD_FIELD in self.request.POST:
            return self._show_draft(step)
        goto = self.request.POST.get("wizard_goto_step")
        if goto in self.get_form_list():
            self._flash_staging_errors()
            return self._go_to(goto)
        if is_refresh(self.request.POST):
            return self._show_draft(step)
        return super().post(*args, **kwargs)

    def _already_filed(self) -> str | None:
        """A resent final page after the complaint was filed: its tracking number."""
        last = self.request.session.get(LAST_SUBMISSION_KEY) or {}
        posted = self.request.POST.get(f"{self.get_form_prefix('review')}-submission_key")
        if posted and last.get("key") == posted:
            return last.get("tracking_number")
        return None

    def _stage_uploads(self) -> None:
        """Keep every acceptable upload at once, whatever else the step says.

        One file at a time, so that a refused file (or a sixth one) costs only itself; the
        messages say which files were refused and why.
        """
        name = f"{self.get_form_prefix('evidence')}-attachments"
        staged, errors = self.staged, []
        for upload in self.request.FILES.getlist(name):
            try:
                staged = staged + stage_files([upload], already=staged)
            except ValidationError as error:
                errors.extend(m for m in error.messages if m not in errors)
        self.staged = staged
        self.staging_errors = errors

    def _evidence_from_script(self) -> JsonResponse:
        """A file picked (or a "ลบ" tapped) on the evidence step, sent by its script
        (static/js/evidence-upload.js) without the rest of the step: staged or removed at
        once with the same checks and messages as "ต่อไป", the step's other answers left
        alone. Answers the list of kept files as the page draws it, and the refusals."""
        self._stage_uploads()
        if accepted_consent(self.request, ComplaintConsent.current()) is None:
            self._flash_staging_errors()
            ask_consent_again(self.request)
            return JsonResponse({"redirect": reverse("complaints:new")}, status=409)
        if self.request.POST.get(REMOVE_FIELD):
            self._remove_staged(self.request.POST[REMOVE_FIELD])
        context = self._evidence_context()
        return JsonResponse(
            {
                "files_html": render_to_string(
                    "complaints/_evidence_files.html", context, request=self.request
                ),
                "files_left": context["files_left"],
                "errors": self.staging_errors,
            },
            status=422 if self.staging_errors else 200,
        )

    def _flash_staging_errors(self) -> None:
        """Leaving the evidence step: say which files were refused on the next page."""
        for error in self.staging_errors:
            messages.error(self.request, error)

    def _drop_lost_staged(self) -> None:
        """Forget staged files whose temporary copy is gone (cleaned up after a day)."""
        self.staged = [
            item for item in self.staged if wizard_upload_storage.exists(item.storage_name)
        ]

    def _remove_staged(self, token: str) -> None:
        keep, drop = [], []
        for item in self.staged:
            (drop if item.token == token else keep).append(item)
        for item in drop:
            discard_staged(item)
        self.staged = keep

    def process_step(self, form):
        self.drafts.pop(self.steps.current, None)
        return self.get_form_step_data(form)

    def render_done(self, form, **kwargs):
        try:
            return super().render_done(form, **kwargs)
        except ValidationError as error:
            if error.code == CONSENT_CHANGED:
                return ask_consent_again(self.request)
            return self._render_problem(error, **kwargs)

    def _render_problem(self, error: ValidationError, **kwargs):
        """The service refused something the forms accepted (a race, a staged file gone):
        back to the step concerned, with the reason, and nothing else lost."""
        fields = set(getattr(error, "error_dict", {}))
        step = "details" if fields & set(DetailsForm.base_fields) else "evidence"
        if step == "evidence":
            self._drop_lost_staged()
        self.storage.current_step = step
        step_form = self._display_form(step)
        step_form.is_valid()
        step_form.add_error(None, error.messages)
        return self.render(step_form, **kwargs)

    # --- the page ------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(**self.step_context(), profile=self.profile)
        if self.steps.current == "details":
            context.update(
                refresh_field_name=form.add_prefix(REFRESH_FIELD),
                map=map_settings(),
                nearby=self._nearby(form),
            )
            if self.storage.extra_data.get(DRAFT_TOKEN):
                context["draft_note"] = DRAFT_NOTE
        elif self.steps.current == "evidence":
            context.update(self._evidence_context())
        elif self.steps.current == "review":
            context.update(summary=self._summary(), map=map_settings())
        return context

    def _evidence_context(self) -> dict:
        staged = self.staged
        return {
            "staged_files": [
                {"token": item.token, "name": item.original_name, "size": file_size_text(item.size)}
                for item in staged
            ],
            "max_files": MAX_FILES,
            "files_left": max(0, MAX_FILES - len(staged)),
            "remove_field": REMOVE_FIELD,
        }

    def _nearby(self, form) -> list[nearby.NearbyCase]:
        """The filing hint for what step ๒ holds so far (as typed, or as kept)."""
        values = {
            name: form[name].value()
            for name in ("category", "subdistrict", "latitude", "longitude")
        }
        return nearby_hint(self.request.user, values)

    def _summary(self) -> dict:
        """Everything entered, as the citizen checks it before "ยืนยัน" (ID masked)."""
        contact = self.get_cleaned_data_for_step("complainant") or {}
        details = self.get_cleaned_data_for_step("details") or {}
        evidence = self.get_cleaned_data_for_step("evidence") or {}
        area = [
            f"ตำบล{details['subdistrict'].name_th}" if details.get("subdistrict") else "",
            f"อำเภอ{details['district'].name_th}" if details.get("district") else "",
            f"จังหวัด{details['province'].name_th}" if details.get("province") else "",
        ]
        return {
            "contact": contact,
            "phone": format_thai_phone(contact["phone"]) if contact.get("phone") else "",
            "details": details,
            "area": " ".join(part for part in area if part),
            "files": [item.original_name for item in self.staged],
            "identity": IDENTITY_LABELS.get(evidence.get("identity"), ""),
            "identity_help": EvidenceForm.IDENTITY_HELP.get(evidence.get("identity"), ""),
        }

    # --- the end -------------------------------------------------------------------------

    def done(self, form_list, form_dict=None, **kwargs):
        consent = ComplaintConsent.current()
        accepted = accepted_consent(self.request, consent)
        if accepted is None:
            raise ValidationError(_("กรุณายืนยันข้อตกลงอีกครั้ง"), code=CONSENT_CHANGED)
        key = self.submission_key
        complaint, _created = complaint_submit(
            citizen=self.request.user,
            submission_key=uuid.UUID(key),
            contact=form_dict["complainant"].cleaned_data,
            details=form_dict["details"].cleaned_data,
            evidence=self.staged,
            conceal_identity=form_dict["evidence"].cleaned_data["identity"] == CONCEAL,
            consent=consent,
            consent_revision_id=accepted["revision_id"],
            client_ip=client_ip(self.request),
            profile=self.profile,
        )
        draft_token = self.storage.extra_data.get(DRAFT_TOKEN)
        if draft_token:
            complaint_draft_mark_used(
                token=draft_token, citizen=self.request.user, complaint=complaint
            )
        self.request.session[LAST_SUBMISSION_KEY] = {
            "key": key,
            "tracking_number": complaint.tracking_number,
        }
        self.request.session.pop(CONSENT_SESSION_KEY, None)
        return redirect("complaints:done", tracking_number=complaint.tracking_number)


class ComplaintDoneView(LoginRequiredMixin, View):
    """ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว: the tracking number and what happens next."""

    def get(self, request, tracking_number: str):
        complaint = selectors.citizen_complaint(user=request.user, tracking_number=tracking_number)
        if complaint is None:
            raise Http404
        return render(request, "complaints/done.html", {"complaint": complaint})


def nearby_hint(citizen, values) -> list[nearby.NearbyCase]:
    """Open cases of the chosen category near the position or in the subdistrict; nothing
    when the values are incomplete or wrong (the hint is help, never an error)."""
    form = NearbyForm({key: "" if value is None else value for key, value in values.items()})
    if not form.is_valid():
        return []
    data = form.cleaned_data
    return nearby.filing_hint(
        citizen=citizen,
        category=data["category"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        subdistrict=data.get("subdistrict"),
    )


class NearbyHintView(CitizenRequiredMixin, View):
    """The filing hint alone (an HTML fragment), asked by complaint-nearby.js whenever the
    category, the subdistrict or the shared position changes on step ๒."""

    def get(self, request):
        form = NearbyForm(request.GET)
        if not form.is_valid():
            status = 200 if set(form.errors) <= {"category", "subdistrict"} else 400
            return render(
                request, "complaints/nearby_hint_items.html", {"nearby": []}, status=status
            )
        cases = nearby_hint(request.user, request.GET.dict())
        return render(request, "complaints/nearby_hint_items.html", {"nearby": cases})
