"""Registration: the seed's form (section ๕) as a SessionWizardView."""

from django.contrib.auth.views import LoginView
from django.views.generic import TemplateView


class RegistrationWizard(TemplateView):  # replaced by the real wizard
    template_name = "base.html"


class CitizenLoginView(LoginView):
    pass
