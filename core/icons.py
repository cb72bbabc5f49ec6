"""The site's pictograms as inline SVG, drawn with ``currentColor`` strokes on a 24-unit grid.

Emoji show as empty boxes on phones and in LINE's browser where no emoji font is installed,
and a screen reader reads them out; these draw the same everywhere and are hidden from
assistive technology (``aria-hidden``): every icon stands next to a visible text label, which
is what is read. Presentation attributes only (no ``style``), so the site's Content-Security-
Policy needs nothing for them.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ICONS: dict[str, str] = {
    # ร้องเรียนร้องทุกข์: a form being written
    "file": (
        '<path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z"/>'
        '<path d="M14 3v6h6"/><path d="M8 13h8M8 17h5"/>'
    ),
    # ติดตามเรื่องร้องเรียน: a magnifying glass
    "track": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M20 20l-4.8-4.8"/>',
    # ข่าวสาร: a folded newspaper
    "news": (
        '<rect x="3" y="4" width="14" height="16" rx="2"/>'
        '<path d="M17 8h3a1 1 0 0 1 1 1v9a2 2 0 0 1-2 2H5"/><path d="M7 8h6M7 12h6M7 16h4"/>'
    ),
    # สำหรับเจ้าหน้าที่: a shield with a tick
    "officer": (
        '<path d="M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6z"/><path d="M9 12l2 2 4-4"/>'
    ),
    # ติดต่อขอความช่วยเหลือ: a speech bubble
    "chat": (
        '<path d="M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1V6'
        'a1 1 0 0 1 1-1z"/><path d="M8 10h8M8 13h5"/>'
    ),
    # สำหรับผู้บริหาร: a bar chart
    "dashboard": (
        '<path d="M4 20h16"/><rect x="5" y="11" width="3" height="7"/>'
        '<rect x="10.5" y="6" width="3" height="12"/><rect x="16" y="13" width="3" height="5"/>'
    ),
    # done, filed
    "check": '<circle cx="12" cy="12" r="9"/><path d="M8 12.5l2.8 2.8 5.7-5.8"/>',
    # take a photo or pick a file
    "camera": (
        '<path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9'
        'a1 1 0 0 1 1-1z"/><circle cx="12" cy="13.5" r="3.5"/>'
    ),
    # staff only
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>',
    # back to the citizen services
    "home": '<path d="M3 11l9-8 9 8"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    # a star of a satisfaction rating (filled with the text colour by the .filled class)
    "star": ('<path d="M12 3.2l2.7 5.5 6 .9-4.35 4.25 1 6L12 17l-5.35 2.85 1-6L3.3 9.6l6-.9z"/>'),
    # remove
    "remove": '<path d="M6 6l12 12M18 6L6 18"/>',
    # a file kept (evidence)
    "paperclip": (
        '<path d="M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.2'
        'a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8"/>'
    ),
}


def svg_icon(name: str, *, css_class: str = "icon", size: int = 24) -> SafeString:
    """The icon ``name`` as decorative inline SVG (KeyError for an unknown name)."""
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false" width="{}" height="{}" '
        'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        css_class,
        size,
        size,
        mark_safe(ICONS[name]),  # constant markup of this module
    )


def star_icons(score: int, *, total: int = 5) -> SafeString:
    """``score`` filled stars then empty ones up to ``total``, for a rating shown in words next
    to them (decorative, like every icon here)."""
    score = max(0, min(int(score or 0), total))
    stars = [
        svg_icon("star", css_class="icon star filled" if n < score else "icon star")
        for n in range(total)
    ]
    return format_html(
        '<span class="star-icons" aria-hidden="true">{}</span>', mark_safe("".join(stars))
    )
