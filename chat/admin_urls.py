"""/admin/chat/…: the officers' inbox and conversations (mounted by chat.wagtail_hooks, so
Wagtail's admin-access check wraps every one of them)."""

from django.urls import path

from chat import admin_views
from chat.admin_views import officer_required

app_name = "chat_admin"

urlpatterns = [
    path("", officer_required(admin_views.InboxView.as_view()), name="inbox"),
    path("inbox.json", officer_required(admin_views.inbox_json), name="inbox_json"),
    path(
        "<id:pk>/",
        officer_required(admin_views.ConversationView.as_view()),
        name="conversation",
    ),
    path(
        "<id:pk>/messages.json",
        officer_required(admin_views.messages_json),
        name="messages_json",
    ),
    path("image/<id:message_id>/", officer_required(admin_views.image), name="image"),
]
