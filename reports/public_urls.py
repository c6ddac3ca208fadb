from django.urls import path, re_path

from . import public_views

app_name = "quality"

urlpatterns = [
    path("", public_views.QualityIndexView.as_view(), name="index"),
    path("m/<str:code>/", public_views.QualityMunicipalityView.as_view(), name="municipality"),
    path("accessibility/", public_views.AccessibilitySwitchView.as_view(), name="accessibility"),
    path("feed/", public_views.CachedFeedView.as_view(), name="feed"),
    path("opendata/", public_views.OpenDataIndexView.as_view(), name="opendata"),
    re_path(
        r"^opendata/list\.(?P<fmt>csv|json)$",
        public_views.OpenDataRegisterView.as_view(),
        name="opendata-register",
    ),
    path("opendata/<str:identifier>/", public_views.OpenDataPassportView.as_view(), name="opendata-set"),
    re_path(
        r"^opendata/(?P<identifier>[\w-]+)/(?P<name>[\w-]+)\.(?P<fmt>csv|json)$",
        public_views.OpenDataFileView.as_view(),
        name="opendata-file",
    ),
    path("reports/<int:pk>/", public_views.PublicReportDetailView.as_view(), name="report-detail"),
    re_path(
        r"^reports/(?P<pk>\d+)/(?P<what>pdf|xlsx)/$",
        public_views.PublicReportFileView.as_view(),
        name="report-file",
    ),
    path("documents/<int:pk>/", public_views.PublicDocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/file/", public_views.PublicDocumentFileView.as_view(), name="document-file"),
]
