"""Background work for live chat: run by `manage.py db_worker` (immediately in tests)."""

from datetime import timedelta

import urllib3
from django.conf import settings
from django.utils import timezone
from django_tasks import task
from linebot.v3.messaging.exceptions import ApiException

MAX_ATTEMPTS = 6


@task()
def fetch_line_image(message_id: int, attempt: int = 1) -> str:
    """Download a picture a citizen sent on LINE (LINE keeps it only for a while), check it
    like complaint evidence and store it privately; retried with backoff if LINE fails."""
    from chat.models import ChatMessage
    from chat.services import store_image
    from line_integration.client import messaging_api_blob

    message = ChatMessage.objects.filter(pk=message_id).first()
    if message is None or message.image_status != ChatMessage.ImageStatus.PENDING:
        return "skipped"
    try:
        with messaging_api_blob() as blob:
            content = blob.get_message_content(
                message.line_message_id, _request_timeout=settings.LINE_HTTP_TIMEOUT
            )
    except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
        status = getattr(exc, "status", None)
        if attempt >= MAX_ATTEMPTS or status in {400, 404, 410}:
            ChatMessage.objects.filter(pk=message.pk).update(
                image_status=ChatMessage.ImageStatus.FAILED
            )
            return "failed"
        run_after = timezone.now() + timedelta(seconds=min(300, 5 * 3**attempt))
        fetch_line_image.using(run_after=run_after).enqueue(message_id, attempt + 1)
        return "retry"
    return store_image(message=message, content=bytes(content))
