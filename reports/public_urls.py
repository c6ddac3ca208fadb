from django.urls import path, re_path

from . import public_views

app_name = "quality"

urlpatterns = [
    path("", public_views.QualityIndexView.as_view(), name="index"),
    path("reports/<int:pk>/", public_views.PublicReportDetailView.as_view(), name="report-detail"),
    re_path(
        r"^reports/(?P<pk>\d+)/(?P<what>pdf|xlsx)/$",
        public_views.PublicReportFileView.as_view(),
        name="report-file",
    ),
    path("documents/<int:pk>/", public_views.PublicDocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/file/", public_views.PublicDocumentFileView.as_view(), name="document-file"),
]
