"""Evidence downloads for the complainant and the officers allowed to see the complaint."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from complaints.models import EvidenceFile
from complaints.permissions import can_view_complaint
from complaints.selectors import evidence_names
from core.files import protected_file_response
from core.uploads import CONTENT_TYPES


@require_safe
@login_required
def evidence_download(request, pk: int):
    """Send one evidence file to someone allowed to see its complaint (``can_view_complaint``);
    anyone else gets 404, so the number does not reveal that a file exists.

    Always a download (Content-Disposition: attachment) with the stored type, never sniffed,
    never cached, with a CSP that forbids everything should a browser render it anyway.
    Named as the viewer may see it (``evidence_names``: neutral where the identity is hidden).
    """
    evidence = get_object_or_404(EvidenceFile.objects.select_related("complaint"), pk=pk)
    if not can_view_complaint(request.user, evidence.complaint):
        raise Http404
    extension = evidence.file.name.rsplit(".", 1)[-1].lower()
    return protected_file_response(
        evidence.file.name,
        filename=evidence_names(evidence.complaint, viewer=request.user)[evidence.pk],
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
