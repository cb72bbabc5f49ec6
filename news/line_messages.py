"""News as LINE Flex messages: one bubble per item (cover, title, summary, "อ่านต่อ"), and the
carousel of the latest items for the rich menu's "ข่าวสาร".

Always in Thai (the chat is read in Thai whatever language the editor's browser used), and kept
well inside LINE's size limits: 30 KB per bubble, 50 KB per carousel, 12 bubbles.
"""

import json

from django.utils import translation
from django.utils.translation import gettext as _

from core.thai_dates import format_thai_date
from line_integration import messages as msg

COVER_SPEC = "fill-720x405|format-jpeg|jpegquality-80"
CAROUSEL_MAX = 12
BUBBLE_BYTES_MAX = 30_000
CAROUSEL_BYTES_MAX = 50_000
SUMMARY_CHARS = 300


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else msg.site_url(url)


def page_url(page) -> str:
    """The page's public address on SITE_URL (Wagtail's own Site may say "localhost"). A long
    Thai slug, percent-encoded, can pass LINE's 1,000 characters: then the index's short link."""
    url = msg.site_url(page.get_url_parts()[2])
    if len(url) <= msg.URI_MAX:
        return url
    index = page.get_parent().specific
    return msg.site_url(index.get_url_parts()[2] + index.reverse_subpage("short", args=[page.pk]))


def cover_url(page) -> str | None:
    if page.cover_image_id is None:
        return None
    return absolute(page.cover_image.get_rendition(COVER_SPEC).url)


def news_bubble_contents(page) -> dict:
    """The bubble itself (for a carousel); without a cover the bubble simply has no hero."""
    link = page_url(page)
    meta = f"{page.get_category_display()} · {format_thai_date(page.date)}"
    contents: dict = {
        "type": "bubble",
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {"type": "text", "text": meta, "size": "xs", "color": "#5f6b7a"},
                {
                    "type": "text",
                    "text": msg.clip_text(page.title, 200),
                    "weight": "bold",
                    "size": "lg",
                    "wrap": True,
                    "maxLines": 3,
                },
                {
                    "type": "text",
                    "text": msg.clip_text(page.summary, SUMMARY_CHARS),
                    "size": "sm",
                    "wrap": True,
                    "maxLines": 5,
                },
            ],
        },
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "color": msg.BRAND_COLOR,
                    "action": msg.uri_action(_("อ่านต่อ"), link),
                },
            ],
        },
    }
    image = cover_url(page)
    if image:
        contents["hero"] = {
            "type": "image",
            "url": image,
            "size": "full",
            "aspectRatio": "16:9",
            "aspectMode": "cover",
            "action": msg.uri_action(_("อ่านต่อ"), link),
        }
    if len(json.dumps(contents, ensure_ascii=False).encode()) > BUBBLE_BYTES_MAX:
        raise ValueError("a news bubble is over LINE's 30 KB")
    return contents


def news_push_messages(page) -> list[dict]:
    """What a news push sends: one Flex bubble, its altText readable on its own."""
    with translation.override("th"):
        alt = _("ข่าวศูนย์ดำรงธรรม: %(title)s") % {"title": page.title}
        message = {
            "type": "flex",
            "altText": msg.clip_text(alt, msg.ALT_TEXT_MAX),
            "contents": news_bubble_contents(page),
        }
    return msg.validate([message])


def all_news_bubble(index_url: str) -> dict:
    return {
        "type": "bubble",
        "body": {
            "type": "box",
            "layout": "vertical",
            "justifyContent": "center",
            "spacing": "md",
            "contents": [
                {
                    "type": "text",
                    "text": _("ข่าวสารศูนย์ดำรงธรรมทั้งหมด"),
                    "weight": "bold",
                    "size": "lg",
                    "wrap": True,
                },
                {
                    "type": "text",
                    "text": _("ข่าวประชาสัมพันธ์ กิจกรรม และประกาศของศูนย์ฯ"),
                    "size": "sm",
                    "wrap": True,
                },
            ],
        },
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "color": msg.BRAND_COLOR,
                    "action": msg.uri_action(_("ดูข่าวทั้งหมด"), index_url),
                }
            ],
        },
    }


def news_carousel_messages(pages: list, *, index_url: str) -> list[dict]:
    """The latest items, then a bubble (and a quick reply) to the whole list on the site."""
    with translation.override("th"):
        all_news = msg.uri_action(_("ดูข่าวทั้งหมด"), index_url)
        if not pages:
            return msg.validate(
                [
                    msg.text(
                        _("ยังไม่มีข่าวสารในขณะนี้ ติดตามข่าวสารศูนย์ดำรงธรรมได้ที่เว็บไซต์"),
                        quick_replies=[all_news],
                    )
                ]
            )
        bubbles = [news_bubble_contents(page) for page in pages[: CAROUSEL_MAX - 1]]
        bubbles.append(all_news_bubble(index_url))
        carousel = {"type": "carousel", "contents": bubbles}
        while len(json.dumps(carousel, ensure_ascii=False).encode()) > CAROUSEL_BYTES_MAX:
            del bubbles[-2]  # drop the oldest item, keep the "all news" bubble
        message = {
            "type": "flex",
            "altText": _("ข่าวสารศูนย์ดำรงธรรมล่าสุด %(count)d เรื่อง: %(titles)s")
            % {
                "count": len(bubbles) - 1,
                "titles": " / ".join(page.title for page in pages[: len(bubbles) - 1]),
            },
            "contents": carousel,
            "quickReply": msg.quick_reply([all_news]),
        }
        message["altText"] = msg.clip_text(message["altText"], msg.ALT_TEXT_MAX)
    return msg.validate([message])
