"""The demo is written for นครสวรรค์ (province 60, its districts and subdistricts by code, its
name in news and chat texts). For another PROVINCE_CODE the same texts and places are moved
into the configured province: the district and subdistrict at the same position in its lists,
and its name where นครสวรรค์'s stood. The demo reads oddly there (a village or road name may
stay) but every address is valid and every name the centre's."""

from addresses.models import District, Subdistrict
from core import province

WRITTEN_FOR = "60"  # นครสวรรค์
WRITTEN_NAME = "นครสวรรค์"
WRITTEN_CENTRE = "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์"


def demo_subdistrict(code: str) -> Subdistrict:
    """Subdistrict ``code`` of the demo (e.g. "600101"), or its counterpart in the province."""
    where = province.code()
    if where == WRITTEN_FOR:
        return Subdistrict.objects.select_related("district__province").get(code=code)
    districts = list(District.objects.filter(province_id=where).order_by("code"))
    district = districts[(int(code[2:4]) - 1) % len(districts)]
    subdistricts = list(district.subdistricts.select_related("district__province").order_by("code"))
    return subdistricts[(int(code[4:6]) - 1) % len(subdistricts)]


def localised(text: str) -> str:
    """A demo text with the configured province's centre and name for นครสวรรค์'s."""
    where = province.current()
    if where.code == WRITTEN_FOR:
        return text
    return text.replace(WRITTEN_CENTRE, where.centre_name("th")).replace(
        WRITTEN_NAME, where.name_th
    )
