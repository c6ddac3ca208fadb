"""Region mode pages under /region/ (DESIGN §6)."""

from django.urls import path

from . import region_views

app_name = "region"

urlpatterns = [
    path("", region_views.RegionDashboardView.as_view(), name="dashboard"),
    path("mechanisms/", region_views.MechanismAssessmentView.as_view(), name="mechanisms"),
    path("m/<str:code>/", region_views.MechanismWhyView.as_view(), name="why"),
]
