from django.db import migrations

PROVINCIAL = [
    ("สำนักงานจังหวัดนครสวรรค์", "provincial_office", "056-221-519"),
    ("ที่ทำการปกครองจังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานที่ดินจังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานสาธารณสุขจังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานแรงงานจังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานพาณิชย์จังหวัดนครสวรรค์", "provincial_office", ""),
    ("สำนักงานคลังจังหวัดนครสวรรค์", "provincial_office", ""),
    ("แขวงทางหลวงนครสวรรค์ที่ 1", "provincial_office", ""),
    ("ตำรวจภูธรจังหวัดนครสวรรค์", "police", "191"),
    ("สถานีตำรวจภูธรเมืองนครสวรรค์", "police", ""),
    ("เทศบาลนครนครสวรรค์", "local_government", ""),
    ("องค์การบริหารส่วนจังหวัดนครสวรรค์", "local_government", ""),
    ("การไฟฟ้าส่วนภูมิภาคจังหวัดนครสวรรค์", "state_enterprise", "1129"),
    ("การประปาส่วนภูมิภาคสาขานครสวรรค์", "state_enterprise", "1662"),
]


def forwards(apps, schema_editor):
    Agency = apps.get_model("complaints", "Agency")
    District = apps.get_model("addresses", "District")
    for district in District.objects.filter(province_id="60").order_by("code"):
        Agency.objects.get_or_create(
            name=f"ที่ว่าการอำเภอ{district.name_th}",
            defaults={"kind": "district_office", "district_id": district.code},
        )
    for name, kind, phone in PROVINCIAL:
        Agency.objects.get_or_create(name=name, defaults={"kind": kind, "phone": phone})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_agencies_assignment_ratings_audit"),
        ("addresses", "0002_load_areas"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
