"""The cascading select's lists as JSON (static/js/address-select.js). Thailand's areas never
change while the site runs (loaded by a migration), so each list's answer is written once per
process and language (core.choices.kept): a citizen's journey asks for two of them."""

import json

from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from addresses.forms import area_code
from addresses.models import District, Subdistrict
from core.choices import kept


def _json(options: list[dict]) -> bytes:
    return json.dumps({"options": options}).encode()


def _answer(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


@require_GET
@cache_control(private=True, max_age=3600)
def district_options(request):
    """The districts of one province, for the cascading select."""
    province = area_code(request.GET.get("province", ""))

    def read() -> bytes:
        rows = District.objects.filter(province_id=province).order_by("name_th")
        return _json([{"value": d.code, "label": d.name} for d in rows])

    return _answer(kept(("district options", province, get_language()), read))


@require_GET
@cache_control(private=True, max_age=3600)
def subdistrict_options(request):
    """The subdistricts of one district, with postal codes, for the cascading select."""
    district = area_code(request.GET.get("district", ""))

    def read() -> bytes:
        rows = Subdistrict.objects.filter(district_id=district).order_by("name_th")
        return _json(
            [{"value": s.code, "label": s.name, "postal_code": s.postal_code} for s in rows]
        )

    return _answer(kept(("subdistrict options", district, get_language()), read))
