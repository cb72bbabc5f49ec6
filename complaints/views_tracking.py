"""ติดตามเรื่องร้องเรียน: the citizen's own complaints, one complaint's public
timeline, the satisfaction rating and the request to reopen.

Only the complainant sees these pages: every lookup goes through ``selectors.citizen_complaint``
with the logged-in user, so anyone else's number is a 404 that reveals nothing. The timeline is
built from the public fields of the history only; internal notes, attachments and officer names
never reach the template. The rules of rating and reopening live in complaints.workflow.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from complaints import deadlines, selectors
from complaints.forms_tracking import LOW_SCORES, SCORE_LABELS, RatingForm, ReopenForm
from complaints.models import Complaint, State
from complaints.nearby import reporters
from complaints.services import complaint_follow, complaint_unfollow
from complaints.workflow import FINISHED, StaleComplaint, complaint_reopen, rating_submit

PER_PAGE = 20


# --- what the pages show ---------------------------------------------------------------------


def own_complaint(request, tracking_number: str) -> Complaint:
    complaint = selectors.citizen_complaint(user=request.user, tracking_number=tracking_number)
    if complaint is None:
        raise Http404
    return complaint


def public_timeline(complaint: Complaint) -> list[dict]:
    """The steps a citizen may read: state changes and anything with a public note.

    Only public columns are loaded, so an internal note, an attachment or an officer's name
    cannot slip into the page.
    """
    history = (
        selectors.public_history(complaint)
        .select_related(None)
        .only("at", "kind", "from_state", "to_state", "public_note")
    )
    entries = []
    for change in history.order_by("at", "pk"):
        moved = change.from_state != change.to_state
        note = change.public_note.strip()
        if moved or note:
            entries.append(
                {
                    "at": change.at,
                    "state": change.to_state if moved else "",
                    "state_label": change.get_to_state_display() if moved else "",
                    "note": note,
                }
            )
    return entries


def deadline_of(complaint: Complaint) -> dict:
    return {"badge": deadlines.badge(complaint), "days_left": deadlines.days_left(complaint)}


def rating_context(complaint: Complaint) -> dict:
    rating = selectors.current_rating(complaint) if complaint.state == State.COMPLETED else None
    return {
        "rating": rating,
        "rating_label": SCORE_LABELS.get(rating.score) if rating else "",
        "rating_changeable": selectors.rating_changeable(rating),
        "rating_change_until": selectors.rating_editable_until(rating) if rating else None,
        "low_rating": bool(rating and rating.score in LOW_SCORES),
    }


# --- pages -----------------------------------------------------------------------------------


@require_safe
@login_required
def my_complaints(request):
    """เรื่องร้องเรียนของฉัน: newest first, each with its state and deadline; with the cases the
    citizen follows (joined while filing, or merged), marked as such."""
    user = request.user
    complaints = (
        Complaint.objects.filter(Q(citizen=user) | Q(followers__citizen=user))
        .distinct()
        .select_related("category")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"complaint": c, "following": c.citizen_id != user.pk, **deadline_of(c)}
        for c in page.object_list
    ]
    return render(request, "complaints/tracking_list.html", {"page": page, "rows": rows})


def render_detail(request, complaint: Complaint, *, reopen_form=None, status: int = 200):
    if reopen_form is None and complaint.state in FINISHED:
        reopen_form = ReopenForm(initial={"version": complaint.version})
    context = {
        "complaint": complaint,
        "files": complaint.files.all(),
        "timeline": public_timeline(complaint),
        "reopen_form": reopen_form if complaint.state in FINISHED else None,
        **deadline_of(complaint),
        **rating_context(complaint),
    }
    return render(request, "complaints/tracking_detail.html", context, status=status)


@require_safe
@login_required
def complaint_detail(request, tracking_number: str):
    return render_detail(request, own_complaint(request, tracking_number))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def complaint_reopen_request(request, tracking_number: str):
    """ขอเปิดเรื่องใหม่ (POST from the detail page); a GET just shows the detail page."""
    complaint = own_complaint(request, tracking_number)
    if request.method != "POST":
        return redirect(detail_url(complaint) + "#reopen")
    form = ReopenForm(request.POST)
    if complaint.state not in FINISHED:
        messages.error(request, _("เรื่องนี้ยังไม่เสร็จสิ้นหรือยุติ จึงยังขอเปิดเรื่องใหม่ไม่ได้"))
        return redirect(detail_url(complaint))
    if not form.is_valid():
        return render_detail(request, complaint, reopen_form=form, status=400)
    try:
        complaint_reopen(
            complaint=complaint,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
    except StaleComplaint as error:
        form.add_error(None, error.message)
        complaint.refresh_from_db()
        return render_detail(request, complaint, reopen_form=form, status=409)
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, refusal_messages(error))
        return render_detail(request, complaint, reopen_form=form, status=400)
    messages.success(
        request,
        _("ส่งคำขอเปิดเรื่องใหม่แล้ว เจ้าหน้าที่จะดำเนินการเรื่องของท่านต่อและแจ้งความคืบหน้าให้ทราบ"),
    )
    return redirect(detail_url(complaint))


def refusal_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or _("ท่านไม่มีสิทธิ์ทำรายการนี้")]


def detail_url(complaint: Complaint) -> str:
    return reverse("complaints:detail", kwargs={"tracking_number": complaint.tracking_number})


# --- rating ----------------------------------------------------------------------------------


def render_rating(request, complaint: Complaint, *, form=None, status: int = 200):
    context = {"complaint": complaint, **rating_context(complaint)}
    rating = context["rating"]
    if complaint.state != State.COMPLETED:
        context["not_ready"] = True
        return render(request, "complaints/rate.html", context, status=403)
    if form is None and context["rating_changeable"]:
        initial = {"score": rating.score, "comment": rating.comment} if rating else {}
        form = RatingForm(initial=initial)
    context["form"] = form if context["rating_changeable"] else None
    if not context["rating_changeable"]:
        context["refusal"] = form.non_field_errors() if form is not None else []
        if request.method == "POST" and not context["refusal"]:
            context["refusal"] = [_("พ้นกำหนดแก้ไขผลการประเมินแล้ว ผลการประเมินเดิมยังคงอยู่")]
            status = 403
    return render(request, "complaints/rate.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def complaint_rate(request, tracking_number: str):
    """ประเมินความพึงพอใจ: the page the LINE "completed" message links to."""
    complaint = own_complaint(request, tracking_number)
    if request.method != "POST":
        return render_rating(request, complaint)
    if not selectors.rating_open(complaint=complaint, user=request.user):
        return render_rating(request, complaint)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render_rating(request, complaint, form=form, status=400)
    try:
        rating_submit(
            complaint=complaint,
            citizen=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, refusal_messages(error))
        complaint.refresh_from_db()
        return render_rating(request, complaint, form=form, status=400)
    messages.success(
        request,
        _("ขอบคุณที่ประเมินความพึงพอใจ ความเห็นของท่านช่วยให้ศูนย์ดำรงธรรมปรับปรุงการให้บริการ"),
    )
    return redirect("complaints:rate", tracking_number=complaint.tracking_number)


# --- cases the citizen follows (joined while filing, or merged) -------------------------------


def followed_complaint(request, tracking_number: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related("category", "target_district", "target_subdistrict")
        .filter(tracking_number=tracking_number, followers__citizen=request.user)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def state_timeline(complaint: Complaint) -> list[dict]:
    """What a follower may read of the history: each change of state and when; no notes."""
    changes = (
        selectors.public_history(complaint)
        .select_related(None)
        .only("at", "from_state", "to_state")
        .order_by("at", "pk")
    )
    return [
        {"at": change.at, "state": change.to_state, "state_label": change.get_to_state_display()}
        for change in changes
        if change.from_state != change.to_state
    ]


@require_safe
@login_required
def following_detail(request, tracking_number: str):
    """A case the citizen follows: what the filing hint showed, and its states since."""
    complaint = followed_complaint(request, tracking_number)
    context = {
        "complaint": complaint,
        "place": "" if complaint.conceal_identity else complaint.target_place,
        "reporters": reporters([complaint.pk]).get(complaint.pk, 1),
        "timeline": state_timeline(complaint),
    }
    return render(request, "complaints/following_detail.html", context)


@require_http_methods(["POST"])
@login_required
def follow(request):
    """ "ติดตามเรื่องนี้" from the filing hint (a button of the wizard's step ๒ form)."""
    complaint = Complaint.objects.filter(pk=_posted_pk(request.POST.get("follow"))).first()
    if complaint is None:
        messages.error(request, _("ไม่พบเรื่องที่ต้องการติดตาม"))
        return redirect("complaints:wizard")
    try:
        complaint_follow(complaint=complaint, citizen=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("complaints:wizard")
    messages.success(
        request,
        _("ท่านติดตามเรื่องนี้แล้ว จะได้รับแจ้งความคืบหน้าทาง LINE และดูได้ที่ “เรื่องร้องเรียนของฉัน”"),
    )
    return redirect("complaints:following", tracking_number=complaint.tracking_number)


@require_http_methods(["POST"])
@login_required
def unfollow(request, tracking_number: str):
    complaint = followed_complaint(request, tracking_number)
    complaint_unfollow(complaint=complaint, citizen=request.user)
    messages.success(request, _("เลิกติดตามเรื่อง %(number)s แล้ว") % {"number": tracking_number})
    return redirect("complaints:mine")


def _posted_pk(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None
