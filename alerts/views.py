from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts.forms import AlertPreferenceForm
from alerts.selectors import current_choices, offered_alerts
from alerts.services import set_preferences


@require_POST
@login_required
def preferences(request):
    """The staff profile page's "การแจ้งเตือนทาง LINE" form; only the alerts of one's roles
    change, the others keep their value."""
    offered = offered_alerts(request.user)
    if not offered:
        raise Http404
    form = AlertPreferenceForm(request.POST, offered=offered)
    form.is_valid()  # unticked boxes are simply False
    choices = {**current_choices(request.user), **form.cleaned_data}
    set_preferences(user=request.user, **choices)
    messages.success(request, _("บันทึกการตั้งค่าการแจ้งเตือนทาง LINE แล้ว"))
    return redirect("accounts:profile")
