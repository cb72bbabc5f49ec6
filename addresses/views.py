from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from addresses.forms import area_code
from addresses.models import District, Subdistrict


@require_GET
@cache_control(private=True, max_age=3600)
def district_options(request):
    """The districts of one province, for the cascading select."""
    province = area_code(request.GET.get("province", ""))
    rows = District.objects.filter(province_id=province).order_by("name_th")
    return JsonResponse({"options": [{"value": d.code, "label": d.name} for d in rows]})


@require_GET
@cache_control(private=True, max_age=3600)
def subdistrict_options(request):
    """The subdistricts of one district, with postal codes, for the cascading select."""
    district = area_code(request.GET.get("district", ""))
    rows = Subdistrict.objects.filter(district_id=district).order_by("name_th")
    return JsonResponse(
        {
            "options": [
                {"value": s.code, "label": s.name, "postal_code": s.postal_code} for s in rows
            ]
        }
    )
