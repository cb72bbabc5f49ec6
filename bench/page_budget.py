"""Weight and Largest Contentful Paint of every citizen page, as a phone loads it the first time.

Issue 9's budget: each citizen page weighs at most 150 KB transferred on first load (the
citizen's own photos excluded) with no request to another host, and its Largest Contentful
Paint comes under 2.5 s on a slow 4G network.

The site runs under gunicorn (2 workers, DEBUG=0, bench.page_settings: the base settings with
WhiteNoise serving collected, compressed static files, as in production) against a throwaway
database with the demo data (`load_demo_data`). Debian's Chromium, driven by Playwright, plays a
390x844 phone (LINE's in-app browser on a common phone) and walks the citizen's way: home, news
index, a news page, register, log-in; then as somchai01 the complaint wizard (consent page with
its not-a-robot widget, tapped and solved, the four steps with the phone's position shared and
one photo, the receipt) and the tracking pages (my complaints, the new complaint). Before each
page the browser's cache is emptied (CDP Network.clearBrowserCache: the first visit), cookies
stay.
The demo's news covers are drawn (a gradient and a headline, ~15 KB at 720x405), lighter than
any photograph; so after the walks the news list is filled to a full first page (10 items) and
every cover replaced with a camera-like photo, published as an editor would, and home, news
index and a news page are measured again, marked "(10 items, photo covers)"
(BENCH_PHOTO_NEWS=0 skips this).

- Weight: the sum of CDP Network.loadingFinished encodedDataLength (bytes on the wire, headers
  included) of every request from the navigation until the network is idle. Downloads of
  evidence files (the citizen's own photos) would be listed apart; no citizen page shows them.
- Other hosts: Chromium resolves no host name but 127.0.0.1 (--host-resolver-rules), so
  nothing leaves the machine; every request to another host is listed by host (and does not
  weigh: it fails).
- LCP: the last 'largest-contentful-paint' entry of a PerformanceObserver (buffered) once the
  network is idle, from the navigation's start (for a wizard step: from the tap on the button,
  so the form's upload is included), with CDP Network.emulateNetworkConditions set to
  Lighthouse's slow 4G: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. CPU not slowed.

One walk warms the server up unreported; then the walk runs twice (BENCH_RUNS) and each run
prints its table; the machine is shared, so look at
load1. Verdict lines at the end name every page over budget.

    .venv/bin/python -m bench.page_budget      (part of `make bench`)

Knobs (environment): BENCH_RUNS (2), BENCH_PHOTO_NEWS (1), BENCH_LATENCY_MS (150),
BENCH_DOWN_KBPS (1600), BENCH_UP_KBPS (750), BENCH_PORT (a free port), CHROMIUM
(/usr/bin/chromium), DATABASE_URL (SQLite unless it names PostgreSQL; then a throwaway database
beside it).
"""

import datetime
import io
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.common import Bench, free_port, out

RUNS = int(os.environ.get("BENCH_RUNS", "2"))
LATENCY_MS = float(os.environ.get("BENCH_LATENCY_MS", "150"))
DOWN_KBPS = float(os.environ.get("BENCH_DOWN_KBPS", "1600"))
UP_KBPS = float(os.environ.get("BENCH_UP_KBPS", "750"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHOTO_NEWS = os.environ.get("BENCH_PHOTO_NEWS", "1") != "0"
SETTINGS = "bench.page_settings"
BUDGET_BYTES = 150 * 1024
LCP_GOAL_MS = 2500
CITIZEN, PASSWORD = "somchai01", "demo1234"
POSITION = {"latitude": 15.7030, "longitude": 100.1370, "accuracy": 18}
EVIDENCE_PREFIX = "/complaints/files/"

LCP_OBSERVER = """
window.__lcp = null;
new PerformanceObserver((list) => {
  const entries = list.getEntries();
  const last = entries[entries.length - 1];
  const el = last.element;
  window.__lcp = {
    ms: last.startTime,
    element: el ? el.tagName.toLowerCase() + (el.className ? "." + el.className : "") : "",
  };
}).observe({type: "largest-contentful-paint", buffered: true});
"""


@dataclass
class Load:
    """What one navigation brought: requests by URL with their bytes, other hosts, LCP."""

    page: str
    requests: dict[str, dict] = field(default_factory=dict)
    lcp_ms: float | None = None
    lcp_element: str = ""
    status: int | None = None

    def own(self, origin: str) -> list[dict]:
        return [r for r in self.requests.values() if r["url"].startswith(origin)]

    def foreign_hosts(self, origin: str) -> list[str]:
        hosts = {
            urlsplit(r["url"]).netloc
            for r in self.requests.values()
            if not r["url"].startswith((origin, "data:", "blob:"))
        }
        return sorted(hosts)


class Recorder:
    """CDP Network events of one page, kept only while a measurement is open."""

    def __init__(self, cdp):
        self.current: Load | None = None
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def _entry(self, event) -> dict | None:
        if self.current is None:
            return None
        return self.current.requests.get(event["requestId"])

    def _sent(self, event):
        if self.current is not None:
            url = event["request"]["url"]
            entry = self.current.requests.setdefault(
                event["requestId"], {"url": url, "bytes": 0, "failed": "", "status": None}
            )
            entry["url"] = url  # a redirect keeps the id and moves on

    def _received(self, event):
        entry = self._entry(event)
        if entry is not None:
            entry["status"] = event["response"]["status"]

    def _finished(self, event):
        entry = self._entry(event)
        if entry is not None:
            entry["bytes"] += int(event["encodedDataLength"])

    def _failed(self, event):
        entry = self._entry(event)
        if entry is not None:
            entry["failed"] = event.get("errorText", "failed")


class Phone:
    """One browser context (a phone with empty caches), its page and the CDP session on it."""

    def __init__(self, browser, origin: str, throttle: dict):
        self.origin = origin
        self.context = browser.new_context(
            viewport={"width": 390, "height": 844},
            locale="th-TH",
            timezone_id="Asia/Bangkok",
            base_url=origin,
            is_mobile=True,
            has_touch=True,
            geolocation=POSITION,
            permissions=["geolocation"],
        )
        self.context.set_default_timeout(60_000)
        self.context.add_init_script(LCP_OBSERVER)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", throttle)
        self.recorder = Recorder(self.cdp)

    def measure(self, name: str, navigate) -> Load:
        """Empty the cache, run navigate() and record until the network is idle."""
        self.cdp.send("Network.clearBrowserCache")
        load = Load(name)
        self.recorder.current = load
        try:
            response = navigate()
            self.page.wait_for_load_state("load")
            self.page.wait_for_load_state("networkidle")
            self.page.wait_for_timeout(300)
            load.status = response.status if response is not None else None
            found = self.page.evaluate("window.__lcp")
        finally:
            self.recorder.current = None
        if found:
            load.lcp_ms, load.lcp_element = found["ms"], found["element"][:40]
        return load

    def click_to(self, name: str, button: str) -> Load:
        """A wizard step: the page the server answers after a tap on the form's button."""

        def navigate():
            with self.page.expect_navigation() as navigation:
                self.page.get_by_role("button", name=button, exact=True).click()
            return navigation.value

        return self.measure(name, navigate)

    def goto(self, name: str, path: str) -> Load:
        return self.measure(name, lambda: self.page.goto(path))

    def close(self):
        self.context.close()


def photo_bytes() -> bytes:
    """A small phone photo to attach (the upload is part of the review step's navigation)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 60)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def news_photo(seed: int) -> bytes:
    """A camera-like 1600x900 news photo. Its 720x405 JPEG (quality 75) weighs ~53 KB, between
    two real photographs measured the same way (49 and 71 KB); the demo's drawn covers (a
    gradient and a headline) weigh ~15 KB, which no editor's photo does."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd, size = random.Random(seed), (1600, 900)
    ramp = Image.linear_gradient("L").resize(size)
    scene = Image.merge("RGB", (ramp, ramp.rotate(180), Image.new("L", size, 120)))
    draw = ImageDraw.Draw(scene)
    for _ in range(1500):
        x, y, side = rnd.randrange(size[0]), rnd.randrange(size[1]), rnd.randrange(6, 133)
        box = (x, y, x + side, y + int(side * rnd.uniform(0.3, 1.5)))
        shape = draw.ellipse if rnd.random() < 0.5 else draw.rectangle
        shape(box, fill=tuple(rnd.choices(range(256), k=3)))
    scene = scene.filter(ImageFilter.GaussianBlur(0.6))
    photo = Image.blend(scene, Image.effect_noise(size, 60).convert("RGB"), 0.1)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def photo_news() -> int:
    """Fill the news list's first page (PER_PAGE items, copies of the demo items) and give every
    item a camera-like cover, published as an editor would (which purges the page cache)."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from news.models import PER_PAGE, NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.get()
    demo = list(NewsPage.objects.live().order_by("-date"))
    for number in range(len(demo), PER_PAGE):
        source = demo[number % len(demo)]
        page = NewsPage(
            title=f"{source.title} ({number + 1})",
            slug=f"bench-news-{number + 1}",
            summary=source.summary,
            body=source.body,
            category=source.category,
            date=source.date - datetime.timedelta(days=30 + number),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    items = list(NewsPage.objects.live())
    for number, page in enumerate(items):
        image = get_image_model()(title=page.title[:255])
        image.file = ImageFile(io.BytesIO(news_photo(number)), name=f"news-photo-{number}.jpg")
        image.save()
        page.cover_image = image
        page.save_revision().publish()
    return len(items)


def walk_news(browser, origin: str, throttle: dict, suffix: str) -> list[Load]:
    """The anonymous news pages only (after photo_news)."""
    from news.models import NewsPage

    news_path = urlsplit(NewsPage.objects.live().order_by("-date").first().url).path
    phone = Phone(browser, origin, throttle)
    try:
        return [
            phone.goto(f"home {suffix}", "/"),
            phone.goto(f"news index {suffix}", "/news/"),
            phone.goto(f"news page {suffix}", news_path),
        ]
    finally:
        phone.close()


def walk(browser, origin: str, throttle: dict) -> list[Load]:
    """A citizen's way through the site; one Load per page."""
    from playwright.sync_api import expect

    from news.models import NewsPage

    news_path = urlsplit(NewsPage.objects.live().order_by("-date").first().url).path
    loads = []
    phone = Phone(browser, origin, throttle)
    try:
        loads.append(phone.goto("home", "/"))
        loads.append(phone.goto("news index", "/news/"))
        loads.append(phone.goto("news page", news_path))
        loads.append(phone.goto("register", "/accounts/register/"))
        loads.append(phone.goto("log-in", "/accounts/login/"))
        page = phone.page
        page.locator("input[name=username]").fill(CITIZEN)
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="LOG IN").click()

        loads.append(phone.goto("complaint consent", "/complaints/new/"))
        page.get_by_text("ฉันไม่ใช่โปรแกรมอัตโนมัติ", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="ยืนยันแล้ว")).to_be_visible()
        loads.append(phone.click_to("complaint step 1", "ยืนยัน"))
        expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
        loads.append(phone.click_to("complaint step 2", "ต่อไป"))
        page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(index=1)
        page.get_by_label("รายละเอียดการร้องเรียน").fill("ไฟถนนดับทั้งซอยมาหนึ่งสัปดาห์")
        page.get_by_label("สถานที่").fill("ซอยข้างตลาด")
        page.get_by_label("อำเภอ").select_option(label="เมืองนครสวรรค์")
        page.get_by_label("ตำบล").select_option(label="ปากน้ำโพ")
        page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()
        expect(page.locator("[data-location-field=latitude]")).to_have_value("15.703000")
        loads.append(phone.click_to("complaint step 3", "ต่อไป"))
        page.get_by_label("แนบหลักฐาน").set_input_files(
            [{"name": "ไฟดับ.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
        )
        page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
        loads.append(phone.click_to("complaint step 4 (review)", "ต่อไป"))
        expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
        loads.append(phone.click_to("complaint receipt", "ยืนยัน"))
        tracking_number = page.locator(".tracking-number").inner_text().strip()
        loads.append(phone.goto("tracking list", "/complaints/"))
        loads.append(phone.goto("tracking page", f"/complaints/{tracking_number}/"))
    finally:
        phone.close()
    return loads


def kb(value: int) -> str:
    return f"{value / 1024:.1f}"


def table(run: int, loads: list[Load], origin: str) -> list[str]:
    """The run's table (markdown), and the problems found in it."""
    problems = []
    out(f"\npage_budget run={run} load1={os.getloadavg()[0]:.1f}")
    out("| page | status | requests | KB transferred | biggest | LCP ms (element) | other hosts |")
    out("|---|---|---|---|---|---|---|")
    for load in loads:
        own = [
            r for r in load.own(origin) if not urlsplit(r["url"]).path.startswith(EVIDENCE_PREFIX)
        ]
        total = sum(r["bytes"] for r in own)
        biggest = max(own, key=lambda r: r["bytes"], default=None)
        big = f"{urlsplit(biggest['url']).path.rsplit('/', 1)[-1] or '/'} {kb(biggest['bytes'])}"
        foreign = load.foreign_hosts(origin)
        foreign_count = len(load.requests) - len(load.own(origin))
        lcp = "-" if load.lcp_ms is None else f"{load.lcp_ms:.0f} ({load.lcp_element})"
        other = ", ".join(foreign) + f" ({foreign_count} requests)" if foreign else "none"
        out(f"| {load.page} | {load.status} | {len(own)} | {kb(total)} | {big} | {lcp} | {other} |")
        if total > BUDGET_BYTES:
            problems.append(f"{load.page}: {kb(total)} KB > 150 KB")
        if foreign:
            problems.append(f"{load.page}: requests to {', '.join(foreign)}")
        if load.lcp_ms is None or load.lcp_ms >= LCP_GOAL_MS:
            problems.append(f"{load.page}: LCP {lcp} not under {LCP_GOAL_MS} ms")
        failed = [r for r in own if r["failed"] or (r["status"] or 0) >= 400]
        if failed:
            problems.append(
                f"{load.page}: failed "
                + ", ".join(
                    f"{urlsplit(r['url']).path} {r['failed'] or r['status']}" for r in failed
                )
            )
    return problems


def start_site(bench: Bench, port: int) -> None:
    bench.start_gunicorn(port)


def prepare(bench: Bench) -> float:
    """Migrate, load the demo data and collect the static files; seconds taken."""
    from django.core.management import call_command

    started = time.monotonic()
    bench.migrate()
    call_command("load_demo_data", allow_production=True, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    return time.monotonic() - started


def run() -> None:
    if not os.path.exists(CHROMIUM):
        out(f"page_budget skipped: no Chromium at {CHROMIUM} (apt-get install -y chromium)")
        return
    port = int(os.environ.get("BENCH_PORT") or free_port())
    bench = Bench("pages", standin_port=free_port())
    bench.env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS, BENCH_STATIC_ROOT=str(bench.workdir / "static")
    )
    throttle = {
        "offline": False,
        "latency": LATENCY_MS,
        "downloadThroughput": DOWN_KBPS * 1000 / 8,
        "uploadThroughput": UP_KBPS * 1000 / 8,
    }
    problems_by_run = []
    with bench:
        prepare_s = prepare(bench)
        start_site(bench, port)
        origin = f"http://127.0.0.1:{port}"
        out(
            f"page_budget_setup db={bench.db.kind} nproc={os.cpu_count()} "
            f"load1={os.getloadavg()[0]:.1f} prepare_s={prepare_s:.1f} gunicorn_workers=2 "
            f"network=latency {LATENCY_MS:.0f} ms, down {DOWN_KBPS:.0f} kbit/s, "
            f"up {UP_KBPS:.0f} kbit/s (CDP Network.emulateNetworkConditions) cpu=not slowed "
            f"viewport=390x844 budget=150 KB, LCP<{LCP_GOAL_MS} ms"
        )
        # Playwright's sync API runs an event loop; the ORM reads here are plain sync code.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    # Nothing leaves the machine: any other host fails to resolve (and is listed).
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                ],
            )
            try:
                walk(browser, origin, throttle)  # warms both workers up; not reported
                runs = [walk(browser, origin, throttle) for _ in range(RUNS)]
                if PHOTO_NEWS:
                    count = photo_news()
                    suffix = f"({count} items, photo covers)"
                    walk_news(browser, origin, throttle, suffix)  # renditions made; not reported
                    for loads in runs:
                        loads += walk_news(browser, origin, throttle, suffix)
                for number, loads in enumerate(runs, start=1):
                    problems_by_run.append(table(number, loads, origin))
            finally:
                browser.close()
        bench.procs.check_alive()
    out("")
    for number, problems in enumerate(problems_by_run, start=1):
        verdict = "all pages within budget" if not problems else "; ".join(problems)
        out(f"page_budget_verdict run={number} {verdict}")


if __name__ == "__main__":
    sys.exit(run())
