"""django-axes records and locks log-in failures by the user name typed (cms/settings/base.py)."""

USERNAME_MAX = 255  # axes' AccessAttempt.username column


def axes_username(request, credentials) -> str | None:
    """The name axes records: as typed, but no longer than its column and without NUL bytes
    (PostgreSQL refuses both). Django's own log-in form (Wagtail's admin and private-page
    log-ins) sends any length on, and a 256-character name made those pages answer 500."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    if typed is None:
        return None
    return str(typed).replace("\x00", "")[:USERNAME_MAX]
