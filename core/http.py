from axes.helpers import get_client_ip_address


def client_ip(request) -> str | None:
    """The address django-axes sees (it honours the proxy count), so consent records, the
    lockout log and the access log all agree."""
    return get_client_ip_address(request) or None
