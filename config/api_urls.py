from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("token/", obtain_auth_token, name="api-token"),
    path("", include("schools.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("monitoring.api.urls")),
    path("", include("roadmaps.api.urls")),
    path("", include("reports.api.urls")),
]
