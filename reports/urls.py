from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("new/", views.ReportCreateView.as_view(), name="report-create"),
    path("municipal/", views.MunicipalReportsView.as_view(), name="municipal-reports"),
    path("grid/", views.QualityGridStaffView.as_view(), name="grid"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    re_path(
        r"^(?P<pk>\d+)/(?P<action>retry|publish|withdraw|conclusions)/$",
        views.ReportActionView.as_view(),
        name="report-action",
    ),
    re_path(
        r"^(?P<pk>\d+)/file/(?P<what>pdf|xlsx|public-pdf|public-xlsx)/$",
        views.ReportFileView.as_view(),
        name="report-file",
    ),
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/new/", views.DocumentFormView.as_view(), name="document-create"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/edit/", views.DocumentFormView.as_view(), name="document-edit"),
    re_path(
        r"^documents/(?P<pk>\d+)/(?P<action>publish|withdraw)/$",
        views.DocumentActionView.as_view(),
        name="document-action",
    ),
    path("documents/<int:pk>/file/", views.DocumentFileView.as_view(), name="document-file"),
]
