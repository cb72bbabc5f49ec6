from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
