"""``{% centre_identity as centre %}`` for templates drawn without the request's context:
error pages (the province's values, no database) and emails (the site settings)."""

from django import template

from core import centre as identity_module

register = template.Library()


@register.simple_tag(takes_context=True)
def centre_identity(context, *, database: bool = False):
    """The page's ``centre`` when it has one; else the site settings (``database=True``) or
    the province's usual values."""
    found = context.get("centre")
    if found is not None:
        return found
    return identity_module.identity() if database else identity_module.defaults()
