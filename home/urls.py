app_name = "home"

# Each service on the home page lives in its own app (chat: chat/urls.py); nothing is left here.
urlpatterns: list = []
