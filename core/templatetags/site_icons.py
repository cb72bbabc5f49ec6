"""``{% load site_icons %}`` then ``{% svg_icon "file" %}``: a decorative icon (core.icons)."""

from django import template

from core.icons import svg_icon as draw

register = template.Library()


@register.simple_tag
def svg_icon(name: str, css_class: str = "icon", size: int = 24):
    return draw(name, css_class=css_class, size=size)
