"""Places in the configured province for tests that walk the address fields: the suite runs
with the default province (60, นครสวรรค์) and, in CI, with PROVINCE_CODE=50 (เชียงใหม่)."""

from dataclasses import dataclass

import geothai

from core import province


@dataclass(frozen=True)
class Place:
    province: str
    district: str
    subdistrict: str
    postal_code: str
    districts_in_province: int
    subdistricts_in_district: int


def place(district_index: int = 0) -> Place:
    """The first subdistrict of the province's district number ``district_index`` (in code
    order; 0 is the capital's เมือง…: เมืองนครสวรรค์ / ปากน้ำโพ / 60000 by default)."""
    code = province.code()
    districts = geothai.districts(code)
    district = districts[district_index]
    subdistricts = geothai.subdistricts(district.code)
    subdistrict = subdistricts[0]
    return Place(
        province=geothai.province(code).name_th,
        district=district.name_th,
        subdistrict=subdistrict.name_th,
        postal_code=subdistrict.postal_codes[0],
        districts_in_province=len(districts),
        subdistricts_in_district=len(subdistricts),
    )
