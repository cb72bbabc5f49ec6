from django import template

from line_integration.selectors import active_line_account_for

register = template.Library()


@register.simple_tag
def line_account_for(user):
    """The user's linked LINE account (for the profile page's LINE section)."""
    return active_line_account_for(user)
