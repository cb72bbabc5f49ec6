import pytest

# Counts and prints the inputs the bad-input sweep sends (tests/fuzz/report.py); the LINE
# stand-in and `send` fixtures for every folder that plays LINE.
pytest_plugins = ["tests.fuzz.report", "tests.line_integration.fixtures"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads of a test never land in the developer's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _centre_read_afresh():
    """Each process keeps the centre's settings for a minute (core/centre.py) and the cache
    keeps the live privacy notice and consent (core/editorial.py); a test's rollback fires no
    signal, so the next test would see the last test's centre and texts."""
    from accounts.models import PrivacyNotice
    from complaints.models import ComplaintConsent
    from core import centre, editorial

    centre.forget()
    for model in (PrivacyNotice, ComplaintConsent):  # the live texts, kept in the shared cache
        editorial.forget_current(model)


def pytest_terminal_summary(terminalreporter):
    """The counted citizen journeys (tests/e2e/test_line_journeys.py), also under xdist,
    whose workers hand their reports' user_properties to the controller."""
    walks = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "walk"
    ]
    if walks:
        terminalreporter.write_sep("-", "citizen journeys from the LINE rich menu")
        for walk in walks:
            terminalreporter.write_line(walk)


@pytest.fixture(autouse=True)
def _rate_limits_start_afresh(request):
    """Rate-limit counts (core/ratelimit.py) live in a cache table of the database: a test's
    rollback undoes them, a transactional test's flush leaves them, so those start afresh."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from django.core.cache import caches

    request.getfixturevalue("transactional_db")
    caches["ratelimit"].clear()
