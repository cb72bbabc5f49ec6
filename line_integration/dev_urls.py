"""/dev/line/: the phone simulator. cms/urls.py includes this only when DEBUG and
LINE_USE_STANDIN; the views refuse (404) otherwise as well."""

from django.urls import path, re_path

from line_integration import dev_views

app_name = "line_dev"

urlpatterns = [
    path("", dev_views.simulator, name="simulator"),
    path("sent.json", dev_views.sent, name="sent"),
    path("api/users", dev_views.users, name="users"),
    path("api/chats", dev_views.chats, name="chats"),
    path("api/send", dev_views.send, name="send"),
    re_path(
        r"^api/richmenu/(?P<menu_id>[A-Za-z0-9-]{1,80})\.img$",
        dev_views.rich_menu_image,
        name="rich_menu_image",
    ),
]
