"""Bad input on filing and tracking a complaint: the consent page, every wizard step (uploads
with hostile names and contents included), the receipt, the evidence download, the list, the
rating and the reopen request."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import ConsentRecord
from complaints.models import (
    Complaint,
    ComplaintDraft,
    EvidenceFile,
    SatisfactionRating,
    State,
    StateChange,
)
from complaints.workflow import complaint_change_state
from core.robot_check import wait_token_create
from line_integration.models import OutboundMessage
from tests.complaints.factories import ComplaintFactory, first_category, jpeg_bytes
from tests.core.robot import solved_answer
from tests.fuzz.files import Upload
from tests.fuzz.strategies import NUMBERS, form_posts, hostile_text, uploads
from tests.fuzz.support import (
    isolated,
    multipart,
    new_rows,
    path_segment,
    redirected_to,
    send,
    snapshot,
    submit,
)

pytestmark = pytest.mark.django_db

NEW = reverse("complaints:new")
WIZARD = reverse("complaints:wizard")
DONE = "/complaints/done/"
MANAGEMENT = "complaint_wizard-current_step"
FILING_ROWS = (Complaint, EvidenceFile, StateChange, ConsentRecord, OutboundMessage, ComplaintDraft)


def steps() -> dict:
    return {
        "complainant": {"phone": "081-234-5678", "email": "a@example.com"},
        "details": {
            "category": str(first_category().pk),
            "details": "น้ำประปาไม่ไหลมาสามวันแล้ว ขอให้เร่งแก้ไข",
            "target_agency": "การประปาส่วนภูมิภาค",
            "target_place": "หมู่บ้านสวรรค์",
            "target_address": "หมู่ 4",
            "province": "60",
            "district": "6001",
            "subdistrict": "600102",
            "latitude": "15.700001",
            "longitude": "100.120002",
            "accuracy": "25",
            "_refresh_address": "1",
        },
        "evidence": {"identity": "conceal"},
        "review": {"submission_key": "00000000-0000-4000-8000-000000000000"},
    }


def accept_consent(client, consent):
    response = client.post(
        NEW, {"robot": solved_answer(), "consent_revision": consent.live_revision_id}
    )
    assert response.status_code == 302


@pytest.fixture
def filing(citizen_client, consent) -> Client:
    """A citizen at the last step of the wizard: every step valid, one photo staged."""
    accept_consent(citizen_client, consent)
    citizen_client.get(WIZARD)
    for step, fields in steps().items():
        if step == "review":
            break
        fields = {k: v for k, v in fields.items() if k != "_refresh_address"}
        data = {MANAGEMENT: step, **{f"{step}-{k}": v for k, v in fields.items()}}
        files = [("evidence-attachments", Upload("รูป.jpg", jpeg_bytes(), "image/jpeg"))]
        body, content_type = multipart(data, files if step == "evidence" else ())
        response = citizen_client.post(WIZARD, body, content_type=content_type)
        assert response.status_code == 200, step
    return citizen_client


def staged_count(client) -> int:
    return len(client.session["wizard_complaint_wizard"]["extra_data"].get("staged_files", []))


@st.composite
def wizard_posts(draw):
    step = draw(st.sampled_from(list(steps())))
    fixed = steps()[step]
    extra = {MANAGEMENT: draw(st.one_of(st.just(step), st.just(step), hostile_text()))}
    for name, chance in (("wizard_goto_step", 6), ("remove_file", 6), ("upload_files", 6)):
        if draw(st.integers(0, chance)) == 0:
            extra[name] = draw(st.one_of(st.sampled_from(list(steps())), hostile_text()))
    names = list(fixed) if step != "evidence" else ["identity"]
    form = draw(form_posts(names, fixed=fixed, prefix=f"{step}-", extra=extra))
    files = draw(uploads()) if step == "evidence" or draw(st.integers(0, 8)) == 0 else []
    return step, form, files


@given(post=wizard_posts())
def test_complaint_wizard_steps(filing, sandbox, post):
    step, form, files = post
    with isolated(filing):
        staged_before = staged_count(filing)
        response, before = submit(
            filing,
            f"complaints:wizard/{step}",
            WIZARD,
            form,
            models=FILING_ROWS,
            accepted=lambda r: redirected_to(r, DONE),
            files=[("evidence-attachments", upload) for upload in files],
        )
        sandbox.assert_contained(f"complaints:wizard/{step}")
        if redirected_to(response, DONE):
            after = snapshot(*FILING_ROWS)
            (complaint_row,) = new_rows(before, after, Complaint)
            assert len(new_rows(before, after, StateChange)) == 1
            assert len(new_rows(before, after, EvidenceFile)) == staged_before
            complaint = Complaint.objects.get(pk=complaint_row[0])
            send(filing, "complaints:detail", "GET", f"/complaints/{complaint.tracking_number}/")


@given(
    kind=st.sampled_from(["solved", "wait", "forged"]),
    draft=st.one_of(st.none(), hostile_text(oversized=False)),
    data=st.data(),
)
def test_consent_page(citizen_client, consent, robot_answer, kind, draft, data):
    """Hostile consent posts; "robot" is sometimes a real solved answer, the page's own
    no-JavaScript token, or a solved answer with its counter changed."""
    answers = {
        "solved": robot_answer,
        "wait": wait_token_create(),
        "forged": robot_answer[:-4] + "AAA=",
    }
    fixed = {"robot": answers[kind], "consent_revision": str(consent.live_revision_id)}
    post = data.draw(form_posts(["robot", "consent_revision"], fixed=fixed))
    with isolated(citizen_client):
        if draft is not None:
            send(citizen_client, "complaints:new", "GET", NEW, {"draft": draft})
        submit(citizen_client, "complaints:new", NEW, post)


@given(
    query=st.dictionaries(
        st.sampled_from(["draft", "restart", "step"]), hostile_text(oversized=False), max_size=3
    )
)
def test_wizard_page_query(filing, query):
    with isolated(filing):
        send(filing, "complaints:wizard", "GET", WIZARD, query)


@given(number=st.one_of(hostile_text(oversized=False), st.sampled_from(["NSN-2569-000001"])))
def test_done_page(citizen_client, number):
    with isolated(citizen_client):
        path = f"{DONE}{path_segment(number) or 'x'}/"
        send(citizen_client, "complaints:done", "GET", path)


big_ints = st.one_of(
    st.integers(min_value=0, max_value=2**70),
    st.sampled_from([n for n in NUMBERS if n.isdigit()]).map(int),
)


@given(pk=big_ints)
def test_evidence_download(citizen_client, pk):
    with isolated(citizen_client):
        send(citizen_client, "complaints:evidence_download", "GET", f"/complaints/files/{pk}/")


@given(query=st.dictionaries(st.sampled_from(["page", "q", "o"]), hostile_text(), max_size=3))
def test_my_complaints(citizen_client, completed, query):
    with isolated(citizen_client):
        send(citizen_client, "complaints:mine", "GET", reverse("complaints:mine"), query)


@pytest.fixture
def completed(citizen, officer):
    complaint = ComplaintFactory(profile=citizen)
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=officer, public_note="ซ่อมถนนเรียบร้อยแล้ว"
    )
    complaint.refresh_from_db()
    return complaint


TRACKING_ROWS = (Complaint, StateChange, SatisfactionRating, OutboundMessage)


@given(form=form_posts(["score", "comment"], fixed={"score": "4", "comment": "ดีมาก"}))
def test_rating(citizen_client, completed, form):
    path = f"/complaints/{completed.tracking_number}/rate/"
    with isolated(citizen_client):
        response, before = submit(
            citizen_client,
            "complaints:rate",
            path,
            form,
            models=TRACKING_ROWS,
            accepted=lambda r: redirected_to(r, path),
        )
        if redirected_to(response, path):
            after = snapshot(*TRACKING_ROWS)
            assert len(new_rows(before, after, SatisfactionRating)) == 1
            send(
                citizen_client,
                "complaints:detail",
                "GET",
                f"/complaints/{completed.tracking_number}/",
            )


@given(form=form_posts(["reason", "version"], fixed={"reason": "ยังไม่ได้ซ่อม"}))
def test_reopen(citizen_client, completed, form):
    detail = f"/complaints/{completed.tracking_number}/"
    data, encoding, raw = form
    if "version" not in data:
        data = {**data, "version": str(completed.version)}
    with isolated(citizen_client):
        response, before = submit(
            citizen_client,
            "complaints:reopen",
            f"{detail}reopen/",
            (data, encoding, raw),
            models=TRACKING_ROWS,
            accepted=lambda r: redirected_to(r, detail) and r.status_code == 302,
        )
        if response.status_code == 302:
            completed.refresh_from_db()
            send(citizen_client, "complaints:detail", "GET", detail)


@given(query=st.dictionaries(hostile_text(oversized=False), hostile_text(), max_size=3))
def test_tracking_detail_query(citizen_client, completed, query):
    with isolated(citizen_client):
        send(
            citizen_client,
            "complaints:detail",
            "GET",
            f"/complaints/{completed.tracking_number}/",
            query,
        )


def test_filed_complaint_shows_hostile_text_escaped(filing, sandbox):
    """The sweep's happy end, made sure of: hostile text and file names go through every
    step, are filed, and every page the citizen then sees shows them as text."""
    hostile = '<script>fz9x()</script>"><img src=x onerror=fz9x()>'
    data = {MANAGEMENT: "details"}
    for key, value in {**steps()["details"], "details": hostile, "target_place": hostile}.items():
        if key != "_refresh_address":
            data[f"details-{key}"] = value
    body, content_type = multipart(data)
    assert filing.post(WIZARD, body, content_type=content_type).status_code == 200
    upload = Upload(f"../../{hostile}.jpg", jpeg_bytes(color=(1, 2, 3)), "image/jpeg")
    data = {MANAGEMENT: "evidence", "evidence-identity": "disclose"}
    body, content_type = multipart(data, [("evidence-attachments", upload)])
    review = filing.post(WIZARD, body, content_type=content_type)
    assert review.status_code == 200 and "fz9x" in review.content.decode()
    response = send(
        filing, "complaints:wizard/review", "POST", WIZARD, {MANAGEMENT: "review"}, follow=True
    )
    assert redirected_to(response, DONE)
    complaint = Complaint.objects.get(details=hostile)
    assert complaint.files.count() == 2
    for evidence in complaint.files.all():
        assert "/" not in evidence.original_name and not evidence.original_name.startswith(".")
    detail = send(filing, "complaints:detail", "GET", f"/complaints/{complaint.tracking_number}/")
    assert "&lt;script&gt;fz9x()&lt;/script&gt;" in detail.content.decode()
    sandbox.assert_contained()
    for evidence in complaint.files.all():
        assert (sandbox.private / evidence.file.name).resolve().is_relative_to(sandbox.private)
