from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import profile, registration

app_name = "accounts"

urlpatterns = [
    path("register/", registration.RegistrationWizard.as_view(), name="register"),
    path("login/", registration.CitizenLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile.profile_view, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile_edit"),
    path("profile/password/", profile.PasswordChangeView.as_view(), name="password_change"),
    path("profile/my-data/", profile.my_data, name="my_data"),
    path("profile/my-data.json", profile.my_data_download, name="my_data_download"),
    path("profile/close/", profile.close_account, name="close_account"),
    path("password-reset/", profile.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/", profile.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        profile.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        profile.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
