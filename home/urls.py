from django.urls import path

from home import views

app_name = "home"

# Services whose issues are not built yet answer with a real page that says so.
urlpatterns = [
    path("news/", views.coming_soon, {"service": "news"}, name="news"),
    path("chat/", views.coming_soon, {"service": "chat"}, name="chat"),
    path("dashboard/", views.coming_soon, {"service": "dashboard"}, name="dashboard"),
]
