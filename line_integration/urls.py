from django.urls import path

from line_integration import login_views, views

app_name = "line"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("link/", views.link, name="link"),
    path("unlink/", views.unlink, name="unlink"),
    path("login/", login_views.start, name="login"),
    path("login/callback/", login_views.callback, name="login_callback"),
    path("login/link/", login_views.link_account, name="link_account"),
    path("login/account/", login_views.AccountLoginView.as_view(), name="login_account"),
    path("register/", login_views.register, name="register"),
]
