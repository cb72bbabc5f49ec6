from django.urls import path

from home import views

app_name = "home"

# Services whose issues are not built yet answer with a real page that says so.
urlpatterns = [
    path("chat/", views.coming_soon, {"service": "chat"}, name="chat"),
]
