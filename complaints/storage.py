"""Evidence files live outside MEDIA_ROOT and are only ever served by a permission-checking view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(
            location=settings.PRIVATE_MEDIA_ROOT,
            base_url=None,
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )


class WizardUploadStorage(LazyObject):
    """Files uploaded in wizard steps before the complaint exists (cleaned up periodically)."""

    def _setup(self):
        self._wrapped = FileSystemStorage(
            location=settings.PRIVATE_MEDIA_ROOT / "wizard-uploads",
            base_url=None,
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )


private_storage = PrivateStorage()
wizard_upload_storage = WizardUploadStorage()


def _reset_on_setting_change(*, setting, **kwargs):
    """Tests point PRIVATE_MEDIA_ROOT at a temporary folder; follow them."""
    if setting == "PRIVATE_MEDIA_ROOT":
        for storage in (private_storage, wizard_upload_storage):
            storage._wrapped = empty


setting_changed.connect(_reset_on_setting_change)


def get_private_storage():
    """For model fields: a callable keeps the deployment's path out of migrations."""
    return private_storage
