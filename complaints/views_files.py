"""Evidence downloads: the only way a private file leaves the server."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from complaints.evidence import CONTENT_TYPES, download_name
from complaints.models import EvidenceFile
from complaints.permissions import can_view_complaint
from complaints.storage import private_storage

logger = logging.getLogger(__name__)

X_ACCEL_PREFIX = "/protected/"


@require_safe
@login_required
def evidence_download(request, pk: int):
    """Send one evidence file to someone allowed to see its complaint (``can_view_complaint``);
    anyone else gets 404, so the number does not reveal that a file exists.

    Always a download (Content-Disposition: attachment) with the stored type, never sniffed,
    never cached, with a CSP that forbids everything should a browser render it anyway.

    With ``settings.PRIVATE_FILES_X_ACCEL_REDIRECT = True`` (production behind nginx) Django
    only checks permission and answers ``X-Accel-Redirect: /protected/<path>``; nginx then sends
    the file itself. nginx must map that prefix to PRIVATE_MEDIA_ROOT and, because it does not
    pass every upstream header on an internal redirect, repeat the safety headers::

        location /protected/ {
            internal;
            alias /srv/app/private_media/;   # PRIVATE_MEDIA_ROOT, trailing slash
            add_header X-Content-Type-Options nosniff always;
            add_header Content-Security-Policy "default-src 'none'; sandbox" always;
            add_header Cache-Control "private, no-store" always;
        }
    """
    evidence = get_object_or_404(EvidenceFile.objects.select_related("complaint"), pk=pk)
    if not can_view_complaint(request.user, evidence.complaint):
        raise Http404
    extension = evidence.file.name.rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    filename = download_name(evidence.original_name, extension)
    if getattr(settings, "PRIVATE_FILES_X_ACCEL_REDIRECT", False):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = X_ACCEL_PREFIX + quote(evidence.file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = private_storage.open(evidence.file.name, "rb")
        except FileNotFoundError:
            logger.error("evidence file %s missing from private storage", evidence.pk)
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
