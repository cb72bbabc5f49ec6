app_name = "line"

urlpatterns: list = []
