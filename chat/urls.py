from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("", views.conversation, name="conversation"),
    path("messages/", views.messages_json, name="messages"),
    path("end/", views.end, name="end"),
    path("start/", views.start, name="start"),
    path("rate/", views.rate, name="rate"),
    path("images/<id:message_id>/", views.image, name="image"),
]
