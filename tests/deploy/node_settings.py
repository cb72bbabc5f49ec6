"""The production settings for the deployment tests' child processes, but for one thing: static
file addresses without collectstatic's manifest (the tests never fetch static files, and
collecting and compressing them would only make the tests slower)."""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
