"""A citizen files a complaint on a phone: consent and the not-a-robot tap, the four steps with
the phone's position on the map and two files, then the receipt. Map tiles point at this server
(which has none), so the "map cannot load" path is what a citizen without tiles would see; one
test plays the tile server with page.route to see the map drawn."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from complaints.models import Complaint
from complaints.setup import ensure_complaint_consent
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory
from tests.complaints import files as evidence_files
from tests.complaints.factories import pdf_bytes
from tests.e2e.phones import laid_out, phone, script_arrives_late
from tests.e2e.robot import pass_robot_check
from tests.places import place

pytestmark = pytest.mark.django_db(transaction=True)

POSITION = {"latitude": 15.7030, "longitude": 100.1370, "accuracy": 18}


@pytest.fixture
def citizen(live_server, settings):
    settings.MAP_TILE_URL = live_server.url + "/no-tiles/{z}/{x}/{y}.png"
    ensure_complaint_consent()
    yield CitizenFactory()


def fits_the_phone(page):
    assert laid_out(page).evaluate("document.documentElement.scrollWidth") <= 390


def log_in_and_consent(page, citizen):
    page.goto("/complaints/new/")
    page.get_by_label("Username").fill(citizen.user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="LOG IN").click()
    expect(page.get_by_role("heading", name="เข้าระบบร้องเรียน")).to_be_visible()
    fits_the_phone(page)
    pass_robot_check(page)
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()


def test_citizen_files_a_complaint_with_position_and_files(browser, live_server, citizen):
    context, page = phone(browser, live_server, geolocation=POSITION, permissions=["geolocation"])
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label="สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา")
    details = page.get_by_label("รายละเอียดการร้องเรียน")
    expect(page.locator(".char-counter")).to_have_text("0/4000")
    details.fill("ไฟถนนดับทั้งซอย")
    expect(page.locator(".char-counter")).to_have_text("15/4000")
    page.get_by_label("สถานที่").fill("ซอยข้างตลาด")
    page.get_by_label("อำเภอ").select_option(label=place().district)
    page.get_by_label("ตำบล").select_option(label=place().subdistrict)
    page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()
    expect(page.locator("[data-location-field=latitude]")).to_have_value("15.703000")
    expect(page.locator("[data-location-field=accuracy]")).to_have_value("18")
    expect(page.locator("[data-location-map]")).to_be_visible()
    expect(page.locator("[data-location-status]")).to_contain_text("แสดงแผนที่ไม่ได้")
    # Tapping the map moves the pin: the position is then chosen by hand.
    page.locator("[data-location-map]").click(position={"x": 230, "y": 30})
    expect(page.locator("[data-location-field=accuracy]")).to_have_value("")
    moved = float(page.locator("[data-location-field=latitude]").input_value())
    assert moved != 15.703 and abs(moved - 15.703) < 0.01
    fits_the_phone(page)
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    photo = evidence_files.jpeg(size=(80, 40), orientation=6)  # a phone photo with GPS EXIF
    assert b"Exif" in photo
    page.get_by_label("แนบหลักฐาน").set_input_files(
        [
            {"name": "ไฟดับ.jpg", "mimeType": "image/jpeg", "buffer": photo},
            {"name": "หน้าจอ.png", "mimeType": "image/png", "buffer": evidence_files.png()},
            {"name": "หนังสือ.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
        ]
    )
    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("ไฟดับ.jpg")
    expect(main).to_contain_text("หนังสือ.pdf")
    expect(main).to_contain_text("หน้าจอ.png")
    expect(main).to_contain_text("ปกปิดข้อมูล")
    expect(main).to_contain_text("ไฟถนนดับทั้งซอย")
    fits_the_phone(page)
    page.get_by_role("button", name="ยืนยัน", exact=True).click()

    expect(page.get_by_role("heading", name="ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")).to_be_visible()
    complaint = Complaint.objects.get()
    expect(page.locator(".tracking-number")).to_have_text(complaint.tracking_number)
    assert complaint.conceal_identity is True
    assert complaint.files.count() == 3
    stored_photo = complaint.files.get(original_name="ไฟดับ.jpg")
    with stored_photo.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif(), "EXIF (and GPS) removed"
        assert image.size == (40, 80), "turned upright as the phone meant"
    assert complaint.latitude is not None and complaint.location_accuracy_m is None
    fits_the_phone(page)
    context.close()


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), "#cfe3c8").save(out, "PNG")
    return out.getvalue()


def test_leaflet_and_tiles_load_only_when_a_map_is_wanted(browser, live_server, citizen):
    """Step ๒ without a shared position and the review step before "ดูตำแหน่งบนแผนที่" is
    tapped fetch neither Leaflet nor a tile (the 150 KB page budget); tapping draws the map.
    The tile server (nginx's cache of OpenStreetMap in production) is played by page.route."""
    context, page = phone(browser, live_server, geolocation=POSITION, permissions=["geolocation"])
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    tile = tile_png()
    page.route("**/no-tiles/**", lambda route: route.fulfill(body=tile, content_type="image/png"))
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "leaflet" in url or "/no-tiles/" in url]
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label="สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา")
    page.get_by_label("รายละเอียดการร้องเรียน").fill("ท่อประปาแตก")
    page.get_by_label("อำเภอ").select_option(label=place().district)
    page.get_by_label("ตำบล").select_option(label=place().subdistrict)
    page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()
    expect(page.locator("[data-location-map] .leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator("[data-location-status]")).not_to_contain_text("แสดงแผนที่ไม่ได้")
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    fetched.clear()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("ละติจูด 15.703000 ลองจิจูด 100.137000")
    assert not [url for url in fetched if "leaflet" in url or "/no-tiles/" in url]
    expect(page.locator("[data-location-readonly]")).to_be_hidden()
    page.get_by_role("button", name="ดูตำแหน่งบนแผนที่").click()
    expect(page.locator("[data-location-readonly] .leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator("[data-location-readonly] .leaflet-marker-icon")).to_be_visible()
    expect(page.get_by_role("button", name="ดูตำแหน่งบนแผนที่")).to_be_hidden()
    expect(page.locator("[data-location-readonly]")).to_be_focused()  # not lost with the button
    assert [url for url in fetched if "/no-tiles/17/" in url]
    fits_the_phone(page)
    context.close()


def test_review_map_without_tiles_says_so_and_keeps_the_coordinates(browser, live_server, citizen):
    context, page = phone(browser, live_server, geolocation=POSITION, permissions=["geolocation"])
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label="สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา")
    page.get_by_label("รายละเอียดการร้องเรียน").fill("ท่อประปาแตก")
    page.get_by_label("อำเภอ").select_option(label=place().district)
    page.get_by_label("ตำบล").select_option(label=place().subdistrict)
    page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()
    expect(page.locator("[data-location-field=latitude]")).to_have_value("15.703000")
    page.get_by_role("button", name="ต่อไป").click()
    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    page.get_by_role("button", name="ดูตำแหน่งบนแผนที่").click()
    expect(page.locator("main")).to_contain_text("แสดงแผนที่ไม่ได้ในขณะนี้")
    expect(page.locator("[data-location-readonly]")).to_be_hidden()
    expect(page.locator("main")).to_contain_text("ละติจูด 15.703000 ลองจิจูด 100.137000")
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_role("heading", name="ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")).to_be_visible()
    context.close()


def test_a_refused_position_still_lets_the_citizen_go_on(browser, live_server, citizen):
    context, page = phone(browser, live_server)  # no geolocation permission
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()
    page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()
    expect(page.locator("[data-location-status]")).to_contain_text("ยื่นเรื่องต่อได้โดยไม่ต้องระบุตำแหน่ง")
    expect(page.locator("[data-location-field=latitude]")).to_have_value("")
    context.close()


def test_a_district_picked_before_the_script_arrived_lists_its_subdistricts(
    browser, live_server, citizen
):
    """Step 2 on a slow network: the อำเภอ picked before the address script has run still gets
    its own ตำบล once the script runs (its "แสดงอำเภอ/ตำบล" button is hidden by then)."""
    context, page = phone(browser, live_server)
    script_arrives_late(page, "address-select")
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    other = place(6)  # not the citizen's own district, which the step is drawn with
    page.get_by_label("อำเภอ").select_option(label=other.district)
    refresh = page.get_by_role("button", name="แสดงอำเภอ/ตำบล")
    expect(refresh).to_be_visible()  # the script has not run yet
    expect(refresh).to_be_hidden()  # now it has
    options = page.get_by_label("ตำบล").locator("option")
    expect(options).to_have_count(other.subdistricts_in_district + 1)  # and the prompt
    expect(options.filter(has_text=other.subdistrict)).to_have_count(1)
    context.close()
