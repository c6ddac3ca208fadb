from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from schools.api.auth import ApiTokenObtainApi, ApiTokenRevokeApi
from schools.api.docs import ApiDocsView, ApiRedocView

# The apps with an API router, in the order they depend on one another (schools first).
API_APPS = ("schools", "indicators", "monitoring", "roadmaps", "reports", "documents")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", ApiRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("token/", ApiTokenObtainApi.as_view(), name="api-token"),
    path("token/revoke/", ApiTokenRevokeApi.as_view(), name="api-token-revoke"),
    # every app's API router at the root of /api/
    *[path("", include(f"{app}.api.urls")) for app in API_APPS],
]
