"""The one place that builds LINE SDK clients. Nothing else in the project imports linebot.

The host comes from settings: LINE's own servers when credentials are set, otherwise the local
stand-in (line_integration/standin), so the same code path runs offline and in production.
"""

from contextlib import contextmanager

from django.conf import settings
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob


def configuration(*, data: bool = False) -> Configuration:
    host = settings.LINE_API_DATA_HOST if data else settings.LINE_API_HOST
    return Configuration(host=host, access_token=settings.LINE_CHANNEL_ACCESS_TOKEN)


@contextmanager
def messaging_api():
    with ApiClient(configuration()) as api_client:
        yield MessagingApi(api_client)


@contextmanager
def messaging_api_blob():
    with ApiClient(configuration(data=True)) as api_client:
        yield MessagingApiBlob(api_client)
