from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.staff_only import StaffLoginView
from cms import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("addresses/", include("addresses.urls")),
    path("line/", include("line_integration.urls")),
    path("complaints/", include("complaints.urls")),
    path("robot-check/", include("core.urls")),
    # Wagtail's log-in view, except for accounts signed in without admin access (a citizen who
    # tapped "สำหรับเจ้าหน้าที่"): they get the Thai staff-only page (accounts/staff_only.py).
    path("admin/login/", StaffLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/logout/", views.AdminLogoutView.as_view(), name="wagtailadmin_logout"),
    path(
        "admin/password_reset/",
        views.AdminPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("dashboard/", include("dashboard.urls")),
    path("chat/", include("chat.urls")),
    path("alerts/", include("alerts.urls")),
    path("open311/", include("open311.urls")),
    path("opendata/", include("opendata.urls")),
    path("", include("home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    from core.dev_tiles import map_tile

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    urlpatterns += [path("maptiles/<int:z>/<int:x>/<int:y>.png", map_tile)]
    if settings.LINE_USE_STANDIN:
        urlpatterns += [path("dev/line/", include("line_integration.dev_urls"))]

urlpatterns += [path("", include(wagtail_urls))]
