import pytest

# Counts and prints the inputs the bad-input sweep sends (tests/fuzz/report.py).
pytest_plugins = ["tests.fuzz.report"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads of a test never land in the developer's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
