"""Fill the area tables from geothai: 77 provinces, 928 districts, 7,436 subdistricts."""

from django.db import transaction


def load_areas(Province, District, Subdistrict) -> tuple[int, int, int]:
    import geothai

    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    with transaction.atomic():
        Province.objects.bulk_create(
            [Province(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in provinces],
            ignore_conflicts=True,
        )
        District.objects.bulk_create(
            [
                District(
                    code=d.code, name_th=d.name_th, name_en=d.name_en, province_id=d.province_code
                )
                for d in districts
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        Subdistrict.objects.bulk_create(
            [
                Subdistrict(
                    code=s.code,
                    name_th=s.name_th,
                    name_en=s.name_en,
                    district_id=s.district_code,
                    postal_code=s.postal_codes[0] if s.postal_codes else "",
                    postal_codes=",".join(s.postal_codes),
                )
                for s in subdistricts
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
    from core.choices import forget_static_options

    forget_static_options()  # this process showed the lists as they were before
    return Province.objects.count(), District.objects.count(), Subdistrict.objects.count()
