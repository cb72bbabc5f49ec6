"""Private files (evidence, chat pictures, internal attachments) leave the server only here,
after the caller has checked who may see them."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from core.storage import private_storage

logger = logging.getLogger(__name__)

X_ACCEL_PREFIX = "/protected/"


def protected_file_response(
    name: str, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A private file as a download that no browser renders or sniffs, for a request whose
    permission the caller has already checked (``inline`` for pictures shown in a page, still
    never sniffed nor run). Http404 if the file is gone.

    With ``settings.PRIVATE_FILES_X_ACCEL_REDIRECT`` (production behind nginx) and files on
    disk, Django answers ``X-Accel-Redirect: /protected/<path>`` with no body and nginx sends
    the file from its internal location (deploy/nginx/ddc.conf maps it to PRIVATE_MEDIA_ROOT
    and repeats the safety headers, which nginx does not carry over from this answer). Files in
    a private S3 bucket are streamed through here instead: nginx cannot read the bucket, and a
    signed bucket address would let anyone it is forwarded to download the file.
    """
    if getattr(settings, "PRIVATE_FILES_X_ACCEL_REDIRECT", False) and _on_local_disk():
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = X_ACCEL_PREFIX + quote(name)
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        try:
            handle = private_storage.open(name, "rb")
        except FileNotFoundError:
            logger.error("private file %s missing from storage", name)
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _on_local_disk() -> bool:
    """Private files are on this machine's disk unless a private bucket is configured."""
    return "private" not in settings.STORAGES
