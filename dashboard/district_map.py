"""The districts of the centre's province as a schematic tile map, drawn on the server as SVG.

Not a real map: no boundary data is available to the project offline, so each อำเภอ is one
square of the same size. For นครสวรรค์ the squares sit on a 6 × 4 grid roughly where each
district lies (west to east, north to south: the mountain districts แม่วงก์, แม่เปิน and ชุมตาบง
on the west, หนองบัว and ไพศาลี on the east, ตาคลี in the south); another province's districts,
until someone draws their layout here, fill rows of six in the order of their codes. The page
says which next to it. A square's shade shows how many complaints were received there; the
table under it has the exact numbers.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from addresses.models import District
from core import province
from dashboard.charts import TEXT_COLOR, WIDTH, _svg
from dashboard.selectors import Row

# Drawn by hand, per province code. code: (column, row, where the name breaks onto a second
# line; 0 = one line)
LAYOUTS: dict[str, dict[str, tuple[int, int, int]]] = {}
LAYOUTS["60"] = {
    "6005": (2, 0, 5),  # บรรพต|พิสัย
    "6006": (3, 0, 0),  # เก้าเลี้ยว
    "6003": (4, 0, 0),  # ชุมแสง
    "6004": (5, 0, 0),  # หนองบัว
    "6013": (0, 1, 0),  # แม่วงก์
    "6011": (1, 1, 0),  # ลาดยาว
    "6002": (2, 1, 0),  # โกรกพระ
    "6001": (3, 1, 5),  # เมือง|นครสวรรค์
    "6008": (4, 1, 0),  # ท่าตะโก
    "6009": (5, 1, 0),  # ไพศาลี
    "6014": (0, 2, 0),  # แม่เปิน
    "6015": (1, 2, 0),  # ชุมตาบง
    "6010": (3, 2, 5),  # พยุหะ|คีรี
    "6012": (4, 2, 0),  # ตากฟ้า
    "6007": (3, 3, 0),  # ตาคลี
}
COLUMNS = 6
GAP = 3
TILE = (WIDTH - GAP * (COLUMNS - 1)) // COLUMNS
# Light to dark: a fifth of the busiest district's count or less, up to the busiest.
SHADES = ("#dbe9f7", "#a9c9ea", "#6fa3d6", "#2f72b8", "#0b3d73")
EMPTY = "#f1f3f5"
LIGHT_TEXT = "#ffffff"
LEADING_VOWELS = "เแโใไ"
# Marks written above or below the consonant before them: a line never starts with one.
COMBINING = "".join(map(chr, [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]))
ONE_LINE = 7  # characters that fit a square at the names' size


def hand_drawn() -> bool:
    """Whether the squares stand roughly where the districts lie (else in code order)."""
    return province.code() in LAYOUTS


def layout(codes) -> dict[str, tuple[int, int, int]]:
    """Where each district's square goes: the hand-drawn layout, or rows of six by code."""
    drawn = LAYOUTS.get(province.code())
    if drawn is not None:
        return drawn
    return {
        code: (i % COLUMNS, i // COLUMNS, _break(name))
        for i, (code, name) in enumerate(sorted(codes.items()))
    }


def _break(name: str) -> int:
    """Where a long name goes onto a second line: near its middle, never before a mark that
    belongs to the letter before it, nor after a vowel written before its consonant."""
    if len(name) <= ONE_LINE:
        return 0
    if name.startswith("เมือง"):
        return len("เมือง")
    at = len(name) // 2
    while 0 < at < len(name) and (name[at] in COMBINING or name[at - 1] in LEADING_VOWELS):
        at += 1
    return at if at < len(name) else 0


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    total: int
    completed: int


def tiles(rows: Sequence[Row], names: dict[str, str]) -> list[Tile]:
    """Every district of the layout with its numbers (0 where nothing was received), in Thai
    dictionary order. ``rows`` are the district breakdown, ``names`` code → Thai name."""
    found = {row.key: row for row in rows}
    places = layout(names)
    return sorted(
        (
            Tile(code, names.get(code, code), found[code].total, found[code].completed)
            if code in found
            else Tile(code, names.get(code, code), 0, 0)
            for code in places
        ),
        key=lambda tile: thai_sort_key(tile.name),
    )


def thai_sort_key(name: str) -> str:
    """Dictionary order, roughly: each leading vowel (เ แ โ ใ ไ) sorts after its consonant."""
    return re.sub(f"([{LEADING_VOWELS}])(.)", r"\2\1", name)


def district_names() -> dict[str, str]:
    """Code → Thai name of the province's districts (the map shows all, with or without
    complaints)."""
    return dict(District.objects.filter(province_id=province.code()).values_list("code", "name_th"))


def _shade(total: int, top: int) -> str:
    if not total:
        return EMPTY
    return SHADES[min(len(SHADES) - 1, (total * len(SHADES) - 1) // top)]


def district_map(items: Sequence[Tile], *, title: str, chart_id: str) -> SafeString:
    top = max((tile.total for tile in items), default=0) or 1
    places = layout({tile.code: tile.name for tile in items})
    rows = max((row for _column, row, _split in places.values()), default=0) + 1
    parts = []
    for tile in items:
        column, row, split = places[tile.code]
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        fill = _shade(tile.total, top)
        ink = LIGHT_TEXT if fill in SHADES[2:] else TEXT_COLOR
        lines = [tile.name[:split], tile.name[split:]] if split else [tile.name]
        label = "".join(
            f'<text x="{x + TILE / 2}" y="{y + 15 + 11 * i}" font-size="10" '
            f'text-anchor="middle" fill="{ink}">{escape(line)}</text>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<g data-district="{tile.code}"><title>{escape(tile.name)}: {tile.total:,} '
            f"{escape(_('เรื่อง'))}</title>"
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}"/>'
            f"{label}"
            f'<text x="{x + TILE / 2}" y="{y + TILE - 7}" font-weight="700" '
            f'font-size="{13 if tile.total < 100_000 else 11}" text-anchor="middle" '
            f'fill="{ink}">{tile.total:,}</text></g>'
        )
    legend_y = rows * (TILE + GAP) + 6
    parts.append(
        f'<text x="0" y="{legend_y + 11}" font-size="11" fill="{TEXT_COLOR}">'
        f"{escape(_('น้อย'))}</text>"
    )
    for i, shade in enumerate(SHADES):
        parts.append(
            f'<rect x="{30 + 22 * i}" y="{legend_y}" width="20" height="14" fill="{shade}"/>'
        )
    parts.append(
        f'<text x="{30 + 22 * len(SHADES) + 4}" y="{legend_y + 11}" font-size="11" '
        f'fill="{TEXT_COLOR}">{escape(_("มาก (สูงสุด %(top)s เรื่อง)") % {"top": f"{top:,}"})}'
        "</text>"
    )
    return _svg("".join(parts), height=legend_y + 20, title=title, chart_id=chart_id)
