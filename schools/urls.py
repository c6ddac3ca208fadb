from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.SchoolListView.as_view(), name="list"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("import/template/<slug:kind>.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
    path("contexts.xlsx", views.SchoolContextExportView.as_view(), name="contexts-export"),
    path("<str:code>/", views.SchoolDetailView.as_view(), name="detail"),
]
