"""Roles and texts every installation needs, created idempotently after each migrate."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.roles import Role

DEFAULT_PRIVACY_NOTICE_TITLE = "ประกาศความเป็นส่วนตัว ศูนย์ดำรงธรรมจังหวัดนครสวรรค์"
DEFAULT_PRIVACY_NOTICE_BODY = """
<p>ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ ("ศูนย์ฯ") เก็บรวบรวม ใช้ และเปิดเผยข้อมูลส่วนบุคคลของท่าน
ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒ เพื่อใช้ในการรับและดำเนินการเรื่องร้องเรียนร้องทุกข์
และการติดต่อกลับเท่านั้น</p>
<p><b>ข้อมูลที่เก็บ</b> เลขประจำตัวประชาชน ชื่อ-นามสกุล วันเกิด หมายเลขโทรศัพท์ อีเมล และที่อยู่
เลขประจำตัวประชาชนถูกเข้ารหัสก่อนจัดเก็บ</p>
<p><b>การเปิดเผย</b> ศูนย์ฯ อาจส่งข้อมูลที่จำเป็นให้หน่วยงานที่เกี่ยวข้องเพื่อแก้ไขปัญหาตามเรื่องร้องเรียน
ท่านเลือกปกปิดตัวตนต่อหน่วยงานปลายทางได้ในแต่ละเรื่อง</p>
<p><b>ระยะเวลาเก็บ</b> ตลอดระยะเวลาที่ท่านมีบัญชีผู้ใช้ เรื่องร้องเรียนที่ยื่นแล้วเก็บเป็นเอกสารราชการตามระเบียบ</p>
<p><b>สิทธิของท่าน</b> ขอดู ขอสำเนา ขอแก้ไข และขอปิดบัญชีได้ที่หน้า "ข้อมูลของฉัน"
หรือติดต่อศูนย์ดำรงธรรมจังหวัดนครสวรรค์ โทร. 1567</p>
"""

# Staff roles reach the Wagtail admin; what they see there is granted by each feature's issue.
STAFF_ROLES = (Role.CASE_OFFICER, Role.SUPERVISOR, Role.NEWS_EDITOR)


@transaction.atomic
def ensure_roles() -> None:
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        if access_admin and role in STAFF_ROLES:
            group.permissions.add(access_admin)
    supervisor = Group.objects.get(name=Role.SUPERVISOR.group_name)
    supervisor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_accountclosurerequest", "change_accountclosurerequest"],
        )
    )
    editor = Group.objects.get(name=Role.NEWS_EDITOR.group_name)
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["add_privacynotice", "change_privacynotice", "publish_privacynotice",
                          "view_privacynotice"],
        )
    )


@transaction.atomic
def ensure_privacy_notice() -> None:
    from accounts.models import PrivacyNotice

    if PrivacyNotice.objects.exists():
        return
    notice = PrivacyNotice(
        title=DEFAULT_PRIVACY_NOTICE_TITLE, body=DEFAULT_PRIVACY_NOTICE_BODY.strip(), live=False
    )
    notice.save()
    notice.save_revision().publish()
