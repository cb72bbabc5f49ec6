from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.admin.views.account import LogoutView, PasswordResetView

from accounts.rate_limits import PasswordResetRateLimitMixin


@never_cache
@require_GET
def healthz(request):
    """For load balancers and uptime checks: 503 as soon as the database cannot answer."""
    status = {"status": "ok", "database": "ok"}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        status.update(status="error", database="error", detail=exc.__class__.__name__)
        return JsonResponse(status, status=503)
    return JsonResponse(status)


class AdminLogoutView(LogoutView):
    """Wagtail's log-out, for POST only: its own view deletes the session cookie even while it
    refuses a GET with 405, so a link or a picture on any other site logged officers out. The
    admin's "ออกจากระบบ" posts a form with the CSRF token, which this still serves."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class AdminPasswordResetView(PasswordResetRateLimitMixin, PasswordResetView):
    """Wagtail's "forgot password" for staff, with the same limits as the citizens' one."""
