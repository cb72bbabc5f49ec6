from django.urls import path

from complaints import urls_tracking, views, views_files

app_name = "complaints"

urlpatterns = [
    path("new/", views.ConsentView.as_view(), name="new"),
    path("new/steps/", views.ComplaintWizard.as_view(), name="wizard"),
    path("new/nearby/", views.NearbyHintView.as_view(), name="nearby"),
    path("done/<tracking:tracking_number>/", views.ComplaintDoneView.as_view(), name="done"),
    path("files/<id:pk>/", views_files.evidence_download, name="evidence_download"),
    *urls_tracking.urlpatterns,
]
