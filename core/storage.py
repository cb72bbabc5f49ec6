"""Evidence files live outside MEDIA_ROOT and are only ever served by a permission-checking view.

On one machine they are files under PRIVATE_MEDIA_ROOT; with several web nodes they live in a
private S3-compatible bucket (``STORAGES["private"]``, set from PRIVATE_S3_BUCKET), and so do
the wizard's uploads in progress, so that a citizen can start on one node and finish on another.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


def _private_storage(folder: str = ""):
    config = settings.STORAGES.get("private")
    if config is not None:
        options = dict(config.get("OPTIONS", {}))
        options["location"] = "/".join(p for p in (options.get("location", ""), folder) if p)
        return storages.create_storage({**config, "OPTIONS": options})
    # Behind nginx (X-Accel-Redirect) its workers read the files through the folder's group
    # (README, "Production"); otherwise only the application's own user may.
    shared_with_nginx = getattr(settings, "PRIVATE_FILES_X_ACCEL_REDIRECT", False)
    return FileSystemStorage(
        location=settings.PRIVATE_MEDIA_ROOT / folder if folder else settings.PRIVATE_MEDIA_ROOT,
        base_url=None,
        file_permissions_mode=0o640 if shared_with_nginx else 0o600,
        directory_permissions_mode=0o750 if shared_with_nginx else 0o700,
    )


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = _private_storage()


class WizardUploadStorage(LazyObject):
    """Files uploaded in wizard steps before the complaint exists (cleaned up periodically)."""

    def _setup(self):
        self._wrapped = _private_storage("wizard-uploads")


private_storage = PrivateStorage()
wizard_upload_storage = WizardUploadStorage()


def _reset_on_setting_change(*, setting, **kwargs):
    """Tests point PRIVATE_MEDIA_ROOT at a temporary folder; follow them."""
    if setting in ("PRIVATE_MEDIA_ROOT", "STORAGES", "PRIVATE_FILES_X_ACCEL_REDIRECT"):
        for storage in (private_storage, wizard_upload_storage):
            storage._wrapped = empty


setting_changed.connect(_reset_on_setting_change)


def get_private_storage():
    """For model fields: a callable keeps the deployment's path out of migrations."""
    return private_storage
