from django.urls import path

from . import two_factor

app_name = "two_factor"

urlpatterns = [
    path("", two_factor.TwoFactorEnrolView.as_view(), name="enrol"),
    path("verify/", two_factor.TwoFactorVerifyView.as_view(), name="verify"),
]
