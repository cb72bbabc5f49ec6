"""The official account's rich menus, as code: three menus (citizen, officer, executive) with
the same six items (the services of `core.menu`), drawn with Pillow from their Thai labels and
kept in sync with LINE by `manage.py line_richmenu`.

LINE never lets a rich menu's image be replaced, so a changed design becomes a new menu: its
`name` ends with a hash of the areas and the image, the alias ("citizen-menu", ...) is moved
to it, and the old versions go only with --prune (staff linked to them keep a working menu).
"""

import functools
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from linebot.v3.messaging import CreateRichMenuAliasRequest, RichMenuRequest
from linebot.v3.messaging import UpdateRichMenuAliasRequest as UpdateAlias
from linebot.v3.messaging.exceptions import ApiException
from PIL import Image, ImageDraw, ImageFont, features

from core import menu
from line_integration import line_login
from line_integration.client import messaging_api, messaging_api_blob

WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
ROLES = ("citizen", "officer", "executive")
ALIASES = {role: f"{role}-menu" for role in ROLES}
CHAT_BAR_TEXT = {"citizen": "เมนู", "officer": "เมนู จนท.", "executive": "เมนูผู้บริหาร"}
HIGHLIGHT = {"officer": menu.OFFICER, "executive": menu.DASHBOARD}

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_CANDIDATES = (
    FONT_DIR / "Sarabun-Bold.ttf",  # shipped with the project (SIL OFL, see Sarabun-OFL.txt)
    Path("/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf"),
    Path("/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf"),
)

BRAND, BRAND_DARK, GOLD, WHITE = "#0b5394", "#073763", "#f1c232", "#ffffff"


def items_for(role: str) -> list[menu.Service]:
    """Citizens see the seed order; officers and executives get their own item first."""
    if role not in ROLES:
        raise ValueError(f"unknown rich menu role {role!r}")
    first = HIGHLIGHT.get(role)
    return sorted(menu.SERVICES, key=lambda item: item != first) if first else list(menu.SERVICES)


def cells() -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of the 3x2 grid, tiling the image exactly (2500 = 833+834+833)."""
    xs = [round(WIDTH * i / COLUMNS) for i in range(COLUMNS + 1)]
    ys = [round(HEIGHT * j / ROWS) for j in range(ROWS + 1)]
    return [
        (xs[i], ys[j], xs[i + 1] - xs[i], ys[j + 1] - ys[j])
        for j in range(ROWS)
        for i in range(COLUMNS)
    ]


def action_for(item: menu.Service) -> dict:
    if item.postback:
        return {
            "type": "postback",
            "label": item.line_label,
            "data": item.postback,
            "displayText": item.drawn_name,
        }
    # Citizens' pages open through LINE Login (signed in as the LINE user, then the page);
    # staff pages keep their password log-in.
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    path = item.url if item.staff else line_login.entry_path(item.url)
    return {"type": "uri", "label": item.line_label, "uri": site + path}


def menu_body(role: str) -> dict:
    """The rich menu object LINE receives, less its name (which carries the version hash)."""
    areas = [
        {"bounds": {"x": x, "y": y, "width": w, "height": h}, "action": action_for(item)}
        for item, (x, y, w, h) in zip(items_for(role), cells(), strict=True)
    ]
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "chatBarText": CHAT_BAR_TEXT[role],
        "areas": areas,
    }


# Drawing -----------------------------------------------------------------------------------


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The first Thai font found; RAQM shaping when Pillow has it (places Thai marks well)."""
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for path in FONT_CANDIDATES:
        if path.exists():
            return ImageFont.truetype(str(path), size, layout_engine=layout)
    return ImageFont.load_default(size)


def _fitting_font(lines: tuple[str, ...], max_width: int, start: int = 118):
    size = start
    while size > 40:
        candidate = font(size)
        if all(candidate.getlength(line) <= max_width for line in lines):
            return candidate
        size -= 6
    return font(size)


def _icon(draw: ImageDraw.ImageDraw, key: str, cx: int, cy: int, ink: str, bg: str) -> None:
    """Simple pictograms from primitives (no icon font needed), about 300 px across."""
    w = 18
    if key == "file":  # a megaphone
        draw.polygon(
            [(cx - 120, cy - 50), (cx + 60, cy - 140), (cx + 60, cy + 140), (cx - 120, cy + 50)],
            fill=ink,
        )
        draw.rectangle([cx - 160, cy - 50, cx - 110, cy + 50], fill=ink)
        draw.rectangle([cx - 100, cy + 50, cx - 50, cy + 140], fill=ink)
        for dy in (-90, 0, 90):
            draw.line([(cx + 100, cy + dy * 0.9), (cx + 160, cy + dy * 1.3)], fill=ink, width=w)
    elif key == "track":  # a magnifying glass over a page
        draw.rounded_rectangle([cx - 150, cy - 150, cx + 70, cy + 130], 20, outline=ink, width=w)
        for dy in (-90, -40, 10):
            draw.line([(cx - 110, cy + dy), (cx + 30, cy + dy)], fill=ink, width=w)
        draw.ellipse([cx - 10, cy - 10, cx + 130, cy + 130], fill=bg, outline=ink, width=w + 4)
        draw.line([(cx + 110, cy + 110), (cx + 170, cy + 170)], fill=ink, width=w + 14)
    elif key == "news":  # a newspaper
        draw.rounded_rectangle([cx - 160, cy - 130, cx + 160, cy + 130], 24, outline=ink, width=w)
        draw.rectangle([cx - 115, cy - 85, cx - 10, cy + 10], fill=ink)
        for dy in (-80, -35, 10):
            draw.line([(cx + 20, cy + dy), (cx + 115, cy + dy)], fill=ink, width=w)
        for dy in (55, 95):
            draw.line([(cx - 115, cy + dy), (cx + 115, cy + dy)], fill=ink, width=w)
    elif key == "chat":  # a speech bubble
        draw.rounded_rectangle([cx - 170, cy - 130, cx + 170, cy + 90], 60, fill=ink)
        draw.polygon([(cx - 90, cy + 80), (cx - 130, cy + 160), (cx - 20, cy + 85)], fill=ink)
        for dx in (-80, 0, 80):
            draw.ellipse([cx + dx - 24, cy - 44, cx + dx + 24, cy + 4], fill=bg)
    elif key == "officer":  # a person in a collar and tie
        draw.ellipse([cx - 70, cy - 160, cx + 70, cy - 20], fill=ink)
        draw.pieslice([cx - 150, cy - 10, cx + 150, cy + 290], 180, 360, fill=ink)
        draw.polygon([(cx - 45, cy - 10), (cx + 45, cy - 10), (cx, cy + 40)], fill=bg)
        draw.polygon(
            [(cx, cy + 30), (cx - 22, cy + 110), (cx, cy + 140), (cx + 22, cy + 110)], fill=bg
        )
    elif key == "dashboard":  # a rising bar chart
        for i, height in enumerate((110, 190, 270)):
            x = cx - 150 + i * 110
            draw.rectangle([x, cy + 140 - height, x + 80, cy + 140], fill=ink)
        draw.line([(cx - 180, cy + 150), (cx + 180, cy + 150)], fill=ink, width=w)


@functools.cache
def draw_menu(role: str) -> bytes:
    """The menu image as PNG bytes (deterministic for a given design, well under 1 MB).
    Cached: it depends on the role and the code only, and takes half a second to draw."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    highlighted = HIGHLIGHT.get(role)
    for item, (x, y, w, h) in zip(items_for(role), cells(), strict=True):
        special = item == highlighted
        bg, ink = (GOLD, BRAND_DARK) if special else (BRAND, WHITE)
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=bg)
        _icon(draw, item.key, x + w // 2, y + 250, ink, bg)
        label_font = _fitting_font(item.menu_lines, w - 90)
        text = "\n".join(item.menu_lines)
        draw.multiline_text(
            (x + w // 2, y + 620),
            text,
            font=label_font,
            fill=ink,
            anchor="mm",
            align="center",
            spacing=18,
        )
    for x, _y, _w, _h in cells()[1:COLUMNS]:
        draw.line([(x, 0), (x, HEIGHT)], fill=BRAND_DARK, width=10)
    draw.line([(0, HEIGHT // 2), (WIDTH, HEIGHT // 2)], fill=BRAND_DARK, width=10)
    out = io.BytesIO()
    image.quantize(colors=64, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


# Keeping LINE in sync ----------------------------------------------------------------------


@dataclass
class MenuVersion:
    role: str
    body: dict
    image: bytes

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.body, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(canonical + self.image).hexdigest()[:16]

    @property
    def name(self) -> str:
        return f"{ALIASES[self.role]} {self.digest}"


def current_version(role: str) -> MenuVersion:
    return MenuVersion(role, menu_body(role), draw_menu(role))


def _timeout() -> float:
    return settings.LINE_HTTP_TIMEOUT


def _has_image(blob, menu_id: str) -> bool:
    try:
        blob.get_rich_menu_image(menu_id, _request_timeout=_timeout())
    except ApiException as exc:
        if exc.status == 404:
            return False
        raise
    return True


def _ensure_menu(api, blob, version: MenuVersion, existing: list) -> tuple[str, str]:
    """The id of a menu with this exact design and its image, creating it if needed."""
    found = next((menu for menu in existing if menu.name == version.name), None)
    if found:
        menu_id, status = found.rich_menu_id, "unchanged"
    else:
        request = RichMenuRequest.from_dict({**version.body, "name": version.name})
        menu_id = api.create_rich_menu(request, _request_timeout=_timeout()).rich_menu_id
        status = "created"
    if status == "created" or not _has_image(blob, menu_id):
        blob.set_rich_menu_image(
            menu_id,
            version.image,
            _request_timeout=_timeout(),
            _headers={"Content-Type": "image/png"},
        )
        status = "created" if status == "created" else "image uploaded"
    return menu_id, status


def _point_alias(api, alias_id: str, menu_id: str) -> None:
    try:
        current = api.get_rich_menu_alias(alias_id, _request_timeout=_timeout()).rich_menu_id
    except ApiException as exc:
        if exc.status != 404:
            raise
        request = CreateRichMenuAliasRequest(rich_menu_alias_id=alias_id, rich_menu_id=menu_id)
        api.create_rich_menu_alias(request, _request_timeout=_timeout())
        return
    if current != menu_id:
        api.update_rich_menu_alias(
            alias_id, UpdateAlias(rich_menu_id=menu_id), _request_timeout=_timeout()
        )


def _ensure_default(api, menu_id: str) -> None:
    try:
        current = api.get_default_rich_menu_id(_request_timeout=_timeout()).rich_menu_id
    except ApiException as exc:
        if exc.status != 404:
            raise
        current = None
    if current != menu_id:
        api.set_default_rich_menu(menu_id, _request_timeout=_timeout())


def sync_rich_menus(
    *, prune: bool = False, log: Callable[[str], None] = lambda _: None
) -> dict[str, str]:
    """Make LINE hold the current three menus, their aliases and the citizen default.
    Safe to run any number of times: an unchanged design makes no change. Returns
    {role: richMenuId}."""
    result: dict[str, str] = {}
    with messaging_api() as api, messaging_api_blob() as blob:
        existing = api.get_rich_menu_list(_request_timeout=_timeout()).richmenus
        for role in ROLES:
            version = current_version(role)
            menu_id, status = _ensure_menu(api, blob, version, existing)
            _point_alias(api, ALIASES[role], menu_id)
            result[role] = menu_id
            log(f"{role}: {menu_id} ({status}; alias {ALIASES[role]})")
        _ensure_default(api, result["citizen"])
        log(f"default menu: {result['citizen']} (citizen)")
        if prune:
            for menu in existing:
                stale = any(menu.name.startswith(ALIASES[role] + " ") for role in ROLES)
                if stale and menu.rich_menu_id not in result.values():
                    api.delete_rich_menu(menu.rich_menu_id, _request_timeout=_timeout())
                    log(f"deleted old version {menu.rich_menu_id} ({menu.name})")
    return result


def menu_id_for(role: str) -> str | None:
    """The richMenuId behind a role's alias, or None when `line_richmenu` has not run."""
    with messaging_api() as api:
        try:
            return api.get_rich_menu_alias(ALIASES[role], _request_timeout=_timeout()).rich_menu_id
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise
