from django.urls import path

from . import objectivity_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.StatusListsView.as_view(), name="index"),
    path("table/", views.IndicatorTableView.as_view(), name="table"),
    path("export/statuses.xlsx", views.StatusExportView.as_view(), name="status-export"),
    path("export/values.xlsx", views.ValueExportView.as_view(), name="value-export"),
    path("compute/", views.ComputeStartView.as_view(), name="compute"),
    path("rules/", views.RulesEditView.as_view(), name="rules"),
    path("rules/teachers/", views.TeacherBandsEditView.as_view(), name="teacher-bands"),
    path("objectivity/", objectivity_views.ObjectivityListView.as_view(), name="objectivity"),
    path("school/<str:code>/", views.SchoolReasonsView.as_view(), name="school"),
    path("school/<str:code>/override/", views.StatusOverrideCreateView.as_view(), name="override"),
]
