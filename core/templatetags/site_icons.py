"""``{% load site_icons %}``: ``{% svg_icon "file" %}`` and ``{% star_icons 4 %}``, decorative
icons drawn as inline SVG (core.icons)."""

from django import template

from core.icons import star_icons as draw_stars
from core.icons import svg_icon as draw

register = template.Library()


@register.simple_tag
def svg_icon(name: str, css_class: str = "icon", size: int = 24):
    return draw(name, css_class=css_class, size=size)


@register.simple_tag
def star_icons(score: int, total: int = 5):
    """``{% star_icons rating.score %}``: five stars, ``score`` of them filled."""
    return draw_stars(score, total=total)
