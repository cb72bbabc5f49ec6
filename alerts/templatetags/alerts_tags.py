from django import template

from alerts.forms import AlertPreferenceForm
from alerts.selectors import current_choices, offered_alerts

register = template.Library()


@register.simple_tag
def alert_preference_form(user):
    """The staff profile page's alert choices for ``user``; None when their roles get none."""
    offered = offered_alerts(user)
    if not offered:
        return None
    return AlertPreferenceForm(initial=current_choices(user), offered=offered)
