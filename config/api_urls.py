from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from schools.api.auth import ApiTokenObtainApi, ApiTokenRevokeApi
from schools.api.docs import ApiDocsView, ApiRedocView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", ApiRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("token/", ApiTokenObtainApi.as_view(), name="api-token"),
    path("token/revoke/", ApiTokenRevokeApi.as_view(), name="api-token-revoke"),
    path("", include("schools.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("monitoring.api.urls")),
    path("", include("roadmaps.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("documents.api.urls")),
]
