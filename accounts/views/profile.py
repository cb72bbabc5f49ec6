"""Profile, "my data" (PDPA), password change and reset, account closure."""

from django.contrib.auth import views as auth_views
from django.views.generic import TemplateView

profile_view = profile_edit = my_data = my_data_download = close_account = (
    TemplateView.as_view(template_name="base.html")
)  # replaced by the real views
PasswordChangeView = auth_views.PasswordChangeView
PasswordResetView = auth_views.PasswordResetView
PasswordResetDoneView = auth_views.PasswordResetDoneView
PasswordResetConfirmView = auth_views.PasswordResetConfirmView
PasswordResetCompleteView = auth_views.PasswordResetCompleteView
