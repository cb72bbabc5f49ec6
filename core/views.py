from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.robot_check import challenge_create


@require_GET
@never_cache
def robot_check_challenge(request):
    """A fresh signed proof-of-work challenge for the ALTCHA widget, asked for when the citizen
    ticks the box (so its few minutes start then, not when the page was opened)."""
    return JsonResponse(challenge_create())
