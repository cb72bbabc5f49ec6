"""Roles and texts every installation needs, created idempotently after each migrate."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.roles import Role
from core import centre
from core.editorial import ensure_published_text

# "{centre}" and "{hotline}" are filled in with the configured province's when seeded.
DEFAULT_PRIVACY_NOTICE_TITLE = "ประกาศความเป็นส่วนตัว {centre}"
DEFAULT_PRIVACY_NOTICE_BODY = """
<p>{centre} ("ศูนย์ฯ") เก็บรวบรวม ใช้ และเปิดเผยข้อมูลส่วนบุคคลของท่าน
ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒ เพื่อใช้ในการรับและดำเนินการเรื่องร้องเรียนร้องทุกข์
และการติดต่อกลับเท่านั้น</p>
<p><b>ข้อมูลที่เก็บ</b> เลขประจำตัวประชาชน ชื่อ-นามสกุล วันเกิด หมายเลขโทรศัพท์ อีเมล และที่อยู่
เลขประจำตัวประชาชนถูกเข้ารหัสก่อนจัดเก็บ</p>
<p><b>การเปิดเผย</b> ศูนย์ฯ อาจส่งข้อมูลที่จำเป็นให้หน่วยงานที่เกี่ยวข้องเพื่อแก้ไขปัญหาตามเรื่องร้องเรียน
ท่านเลือกปกปิดตัวตนต่อหน่วยงานปลายทางได้ในแต่ละเรื่อง</p>
<p><b>ระยะเวลาเก็บ</b> ตลอดระยะเวลาที่ท่านมีบัญชีผู้ใช้ เรื่องร้องเรียนที่ยื่นแล้วเก็บเป็นเอกสารราชการตามระเบียบ</p>
<p><b>สิทธิของท่าน</b> ขอดู ขอสำเนา ขอแก้ไข และขอปิดบัญชีได้ที่หน้า "ข้อมูลของฉัน"
หรือติดต่อ{centre} โทร. {hotline}</p>
"""

# Least privilege per role, in one place: "app_label.codename" permissions each group gets.
# Executives have no admin access; they use the dashboard.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.CASE_OFFICER: (
        "wagtailadmin.access_admin",
        "chat.view_conversation",
        "chat.answer_conversation",
        "chat.view_quickreplytemplate",
        "chat.add_quickreplytemplate",
        "chat.change_quickreplytemplate",
        "chat.delete_quickreplytemplate",
        "chat.view_serviceholiday",
        "line_integration.view_outboundmessage",
        "complaints.view_complaintcategory",
        "complaints.view_complaint",
        "complaints.change_complaint",
        "complaints.view_agency",
        "complaints.add_agency",
        "complaints.change_agency",
    ),
    Role.SUPERVISOR: (
        "wagtailadmin.access_admin",
        "chat.view_conversation",
        "chat.answer_conversation",
        "chat.view_quickreplytemplate",
        "chat.add_quickreplytemplate",
        "chat.change_quickreplytemplate",
        "chat.delete_quickreplytemplate",
        "chat.view_serviceholiday",
        "chat.add_serviceholiday",
        "chat.change_serviceholiday",
        "chat.delete_serviceholiday",
        "accounts.view_accountclosurerequest",
        "accounts.change_accountclosurerequest",
        "line_integration.view_outboundmessage",
        "line_integration.retry_outboundmessage",
        "complaints.add_complaintcategory",
        "complaints.change_complaintcategory",
        "complaints.view_complaintcategory",
        "complaints.view_complaint",
        "complaints.change_complaint",
        "complaints.view_agency",
        "complaints.add_agency",
        "complaints.change_agency",
        "complaints.view_personaldataaccess",
        "complaints.view_agencymember",
        "complaints.add_agencymember",
        "complaints.change_agencymember",
        "complaints.delete_agencymember",
        "core.change_centresettings",  # the centre's name, address, hotline, LINE and logo
    ),
    Role.EXECUTIVE: (),
    Role.AGENCY_STAFF: (
        "wagtailadmin.access_admin",
        "complaints.view_complaint",
        "complaints.change_complaint",
    ),
    Role.NEWS_EDITOR: (
        "wagtailadmin.access_admin",
        "accounts.add_privacynotice",
        "accounts.change_privacynotice",
        "accounts.publish_privacynotice",
        "accounts.view_privacynotice",
        "complaints.add_complaintconsent",
        "complaints.change_complaintconsent",
        "complaints.publish_complaintconsent",
        "complaints.view_complaintconsent",
        # News pages themselves: GroupPagePermission on the news index (news.setup).
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
}


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            raise LookupError(f"Permission {name} does not exist; is its app migrated?")
        found.append(permission)
    return found


@transaction.atomic
def ensure_roles() -> None:
    """Create the role groups and grant what ROLE_PERMISSIONS lists (never removes grants
    an administrator added by hand)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.group_name)
        group.permissions.add(*_permissions(names))


def ensure_privacy_notice() -> None:
    from accounts.models import PrivacyNotice

    ensure_published_text(
        PrivacyNotice,
        title=DEFAULT_PRIVACY_NOTICE_TITLE.format(**centre.seed_texts()),
        body=DEFAULT_PRIVACY_NOTICE_BODY.format(**centre.seed_texts()),
    )
