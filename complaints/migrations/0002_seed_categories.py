from django.db import migrations

CATEGORIES = [
    "ขอความช่วยเหลือ/ความเดือดร้อน",
    "ร้องเรียนเจ้าหน้าที่รัฐ",
    "ทุจริตประพฤติมิชอบ",
    "ที่ดิน",
    "หนี้สิน/หนี้นอกระบบ",
    "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา",
    "สิ่งแวดล้อม/เหตุเดือดร้อนรำคาญ",
    "ยาเสพติด",
    "การพนัน",
    "แรงงาน",
    "คุ้มครองผู้บริโภค",
    "อื่นๆ",
]


def forwards(apps, schema_editor):
    Category = apps.get_model("complaints", "ComplaintCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints_files_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
