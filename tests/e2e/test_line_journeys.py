"""The two journeys a citizen makes from the LINE rich menu, walked at 390x844 through the
/dev/line/ simulator and the stand-in (LINE Login included), with every interaction counted.

How a walk counts (the ``Walk`` class):
- a screen is a page the citizen sees in the in-app browser: each document that finishes
  loading in it (LINE's screens and ours); redirects that show nothing are not screens;
- a tap is a press on a button, link, checkbox or menu area;
- a pick is a choice: an option in a list, a radio button, a file from the phone;
- a field is a text box typed into.
Targets: a new citizen files a complaint, receipt in LINE and account linked, in at most 30
interactions without going back to LINE; a linked citizen files one with a photo in at most
8 taps and types no user name or password.
"""

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from accounts.models import CitizenProfile
from accounts.setup import ensure_privacy_notice
from complaints.models import Complaint, ComplaintCategory
from complaints.setup import ensure_categories, ensure_complaint_consent
from line_integration import richmenu
from line_integration.models import LineAccount
from tests.accounts.factories import CitizenFactory
from tests.complaints import files as evidence_files
from tests.e2e.robot import pass_robot_check

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.line_integration.simulator_urls"),
]

NEW_CITIZEN_MAX = 30
LINKED_CITIZEN_MAX_TAPS = 8
CATEGORY = "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา"
CREDENTIAL_LABELS = {"Username", "Password", "ชื่อผู้ใช้", "รหัสผ่าน", "ยืนยันรหัสผ่าน"}


@dataclass
class Walk:
    """What the citizen does in the in-app browser, counted as the module docstring says."""

    screens: list = field(default_factory=list)
    taps: list = field(default_factory=list)
    picks: list = field(default_factory=list)
    fields: list = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("load", lambda loaded: self.screens.append(loaded.url))

    def tap(self, locator, name: str) -> None:
        locator.click()
        self.taps.append(name)

    def pick(self, locator, name: str, **option) -> None:
        locator.select_option(**option)
        self.picks.append(name)

    def choose(self, locator, name: str) -> None:
        locator.check()
        self.picks.append(name)

    def attach(self, locator, name: str, files) -> None:
        locator.set_input_files(files)
        self.picks.append(name)

    def type(self, locator, name: str, text: str) -> None:
        locator.fill(text)
        self.fields.append(name)

    @property
    def total(self) -> int:
        return len(self.screens) + len(self.taps) + len(self.picks) + len(self.fields)

    def report(self, title: str) -> str:
        return (
            f"{title}: {self.total} interactions = {len(self.screens)} screens + "
            f"{len(self.taps)} taps + {len(self.picks)} picks + {len(self.fields)} fields"
        )


def not_a_robot(page, walk: Walk) -> None:
    """The consent page's not-a-robot check: one tap on the box (the phone does the work)."""
    pass_robot_check(page)
    walk.taps.append("not a robot")


@pytest.fixture
def simulator(live_server, line_standin, settings):
    settings.DEBUG = True
    settings.LINE_USE_STANDIN = True
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # links in LINE messages point here
    settings.MAP_TILE_URL = live_server.url + "/no-tiles/{z}/{x}/{y}.png"
    line_standin.state.webhook_url = live_server.url + "/line/webhook/"
    ensure_privacy_notice()
    ensure_complaint_consent()
    ensure_categories(ComplaintCategory)
    richmenu.sync_rich_menus()
    return line_standin


def open_from_menu(page, walk: Walk, item: str):
    """Tap a rich-menu item in the simulator; LINE opens it in its in-app browser (a tab)."""
    page.context.on("page", walk.watch)
    with page.context.expect_page() as opened:
        walk.tap(page.locator("#sim-richmenu").get_by_role("button", name=item), item)
    phone = opened.value
    phone.set_viewport_size({"width": 390, "height": 844})
    return phone


def file_the_complaint(phone, walk: Walk, *, photo: bytes | None = None) -> None:
    """From "เข้าระบบร้องเรียน" to the receipt."""
    expect(phone.get_by_role("heading", name="เข้าระบบร้องเรียน")).to_be_visible()
    not_a_robot(phone, walk)
    walk.tap(phone.get_by_role("button", name="ยืนยัน", exact=True), "ยืนยัน (consent)")
    expect(phone.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    walk.tap(phone.get_by_role("button", name="ต่อไป"), "ต่อไป (1)")
    expect(phone.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    walk.pick(phone.get_by_label("ประเภทเรื่องร้องเรียน"), "ประเภท", label=CATEGORY)
    walk.type(phone.get_by_label("รายละเอียดการร้องเรียน"), "รายละเอียด", "ไฟถนนดับทั้งซอย")
    expect(phone.get_by_label("ตำบล", exact=True)).not_to_have_value("")  # the citizen's own area
    walk.tap(phone.get_by_role("button", name="ต่อไป"), "ต่อไป (2)")
    expect(phone.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    if photo is not None:
        files = [{"name": "ไฟดับ.jpg", "mimeType": "image/jpeg", "buffer": photo}]
        walk.attach(phone.get_by_label("แนบหลักฐาน"), "รูปถ่าย", files)
    walk.choose(phone.get_by_label(re.compile("^เปิดเผยข้อมูล")), "เปิดเผยข้อมูล")
    walk.tap(phone.get_by_role("button", name="ต่อไป"), "ต่อไป (3)")
    expect(phone.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    walk.tap(phone.get_by_role("button", name="ยืนยัน", exact=True), "ยืนยัน (file)")
    expect(phone.get_by_role("heading", name="ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")).to_be_visible()
    phone.wait_for_load_state("load")


def line_texts(state, user_id: str) -> str:
    from tests.line_integration.support import message_texts

    return "\n".join(message_texts(d["message"]) for d in state.deliveries(user_id))


def show(record_property, walk: Walk, title: str) -> None:
    """The counts, for the run's summary (tests/conftest.py prints them, xdist or not)."""
    screens = [re.sub(r"\?.*", "", url) for url in walk.screens]
    record_property(
        "walk",
        f"{walk.report(title)}\n  screens: {screens}\n  taps: {walk.taps}\n"
        f"  picks: {walk.picks}\n  fields: {walk.fields}",
    )


def test_a_new_citizen_files_from_the_rich_menu_registered_once_and_linked(
    simulator, page, record_property
):
    page.goto("/dev/line/")
    page.get_by_label("สร้างผู้ใช้ใหม่ (ชื่อที่แสดงใน LINE)").fill("มาลี")
    page.get_by_role("button", name="สร้างและเพิ่มเพื่อน").click()
    expect(page.locator("#sim-chat li.bot").first).to_contain_text("ยินดีต้อนรับ")
    [line_user] = simulator.state.users.values()

    walk = Walk()
    phone = open_from_menu(page, walk, "ร้องเรียนร้องทุกข์")
    # LINE asks once whether the centre may know who this LINE user is.
    expect(phone.get_by_role("heading", name="ขออนุญาตเข้าถึงข้อมูล")).to_be_visible()
    walk.tap(phone.get_by_role("button", name="อนุญาต"), "อนุญาต (LINE)")

    expect(phone.get_by_role("heading", name="ลงทะเบียนเพื่อเข้าสู่ระบบ")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("มาลี")
    expect(phone.get_by_label("ชื่อผู้ใช้")).not_to_have_value("")  # suggested
    walk.type(phone.get_by_label("เลขประจำตัวประชาชน"), "เลขประจำตัวประชาชน", "3100600445635")
    walk.pick(phone.get_by_label("คำนำหน้าชื่อ"), "คำนำหน้าชื่อ", value="นางสาว")
    walk.type(phone.get_by_label("ชื่อ", exact=True), "ชื่อ", "มาลี")
    walk.type(phone.get_by_label("นามสกุล"), "นามสกุล", "ศรีสุข")
    walk.type(phone.get_by_label("วันเกิด"), "วันเกิด", "1990-07-21")
    walk.type(phone.get_by_label("โทรศัพท์"), "โทรศัพท์", "089-123-4567")
    walk.type(phone.get_by_label("อีเมล"), "อีเมล", "malee@example.com")
    expect(phone.get_by_label("จังหวัด", exact=True)).to_have_value("60")
    walk.pick(phone.get_by_label("อำเภอ", exact=True), "อำเภอ", label="ชุมแสง")
    walk.pick(phone.get_by_label("ตำบล", exact=True), "ตำบล", label="ชุมแสง")
    walk.tap(phone.get_by_label("ข้าพเจ้าได้อ่านและยอมรับประกาศความเป็นส่วนตัว"), "ยอมรับ")
    walk.tap(phone.get_by_role("button", name="ลงทะเบียน", exact=True), "ลงทะเบียน")

    file_the_complaint(phone, walk)

    profile = CitizenProfile.objects.get(first_name="มาลี")
    complaint = Complaint.objects.get()
    assert complaint.citizen == profile.user
    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert account.is_active and account.user == profile.user
    expect(page.locator("#sim-chat li.bot").last).to_contain_text(complaint.tracking_number)
    texts = line_texts(simulator.state, line_user["userId"])
    assert "ลงทะเบียนกับศูนย์ดำรงธรรมจังหวัดนครสวรรค์เรียบร้อยแล้ว" in texts  # the welcome
    assert "ได้รับเรื่องร้องเรียนของท่านแล้ว" in texts  # the receipt
    # No return to LINE: one tab, which never left LINE's pages and ours for the chat.
    assert page.context.pages == [page, phone]
    assert not [url for url in walk.screens if "/dev/line/" in url]
    show(record_property, walk, "New citizen, menu tap to filed complaint")
    assert walk.total <= NEW_CITIZEN_MAX, walk.report("too many")


def test_a_linked_citizen_files_with_a_photo_signed_in_by_line(simulator, page, record_property):
    citizen = CitizenFactory(first_name="สมชาย", last_name="ใจดี").user
    line_user = simulator.state.add_user(display_name="สมชาย", following=True)
    LineAccount.objects.create(
        line_user_id=line_user["userId"], user=citizen, is_active=True, followed=True
    )
    simulator.login.consents[line_user["userId"]] = {"openid", "profile"}  # agreed before

    page.goto(f"/dev/line/?user={line_user['userId']}")
    expect(page.locator("#sim-richmenu .area")).to_have_count(6)
    walk = Walk()
    phone = open_from_menu(page, walk, "ร้องเรียนร้องทุกข์")
    photo = evidence_files.jpeg(size=(80, 40))
    file_the_complaint(phone, walk, photo=photo)

    complaint = Complaint.objects.get()
    assert complaint.citizen == citizen
    assert complaint.files.count() == 1
    assert not [url for url in walk.screens if "/oauth2/" in url]  # LINE showed nothing
    assert not CREDENTIAL_LABELS & set(walk.fields)
    assert walk.fields == ["รายละเอียด"]
    show(record_property, walk, "Linked citizen, menu tap to filed complaint with a photo")
    assert len(walk.taps) <= LINKED_CITIZEN_MAX_TAPS, walk.report("too many taps")
