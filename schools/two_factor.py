"""Two-factor authentication with TOTP (django-otp): enrolment with a QR code and verification after login."""

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_staff_member

DEVICE_NAME = "Приложение-аутентификатор"
WRONG_TOKEN = "Код не подошёл. Проверьте время на телефоне и введите новый код из приложения."
STAFF_ONLY = "Двухфакторная аутентификация доступна сотрудникам управления образования."
ENROLLED = "Двухфакторная аутентификация включена: при следующем входе портал спросит код из приложения."
VERIFIED = "Вход подтверждён кодом из приложения."


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Код из приложения",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": "Введите шесть цифр из приложения-аутентификатора."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


def totp_device_start(*, user) -> TOTPDevice:
    """The user's unconfirmed device waiting for its first code (created once, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no style attributes, so it passes the strict CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return mark_safe(image.to_string(encoding="unicode"))


def _secret_groups(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class _TwoFactorView(LoginRequiredMixin, FormView):
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_staff_member(request.user):
            raise PermissionDenied(STAFF_ONLY)
        return self.redirect_first(request) or super().dispatch(request, *args, **kwargs)

    def redirect_first(self, request):
        """A redirect to another two-factor step when this one does not apply yet, else None."""
        return None

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class TwoFactorEnrolView(_TwoFactorView):
    template_name = "two_factor/enrol.html"

    def redirect_first(self, request):
        user = request.user
        if user_has_device(user, confirmed=True) and not user.is_verified():
            # A new device may only be added after proving the existing one.
            return redirect(
                f"{reverse('two_factor:verify')}?{urlencode({'next': reverse('two_factor:enrol')})}"
            )
        return None

    def get_context_data(self, **kwargs):
        device = totp_device_start(user=self.request.user)
        url = device.config_url.replace("otpauth://totp/", f"otpauth://totp/{settings.OTP_TOTP_ISSUER}:", 1)
        return super().get_context_data(
            qr=qr_svg(url),
            secret=_secret_groups(device),
            confirmed_devices=TOTPDevice.objects.filter(user=self.request.user, confirmed=True).order_by(
                "pk"
            ),
            otp_required=settings.OTP_REQUIRED_FOR_ADMINS,
            **kwargs,
        )

    def form_valid(self, form):
        device = totp_device_start(user=self.request.user)
        if not totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            form.add_error("token", WRONG_TOKEN)
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(self.request, ENROLLED)
        return redirect(self.next_url())


class TwoFactorVerifyView(_TwoFactorView):
    template_name = "two_factor/verify.html"

    def redirect_first(self, request):
        if not user_has_device(request.user, confirmed=True):
            return redirect(f"{reverse('two_factor:enrol')}?{urlencode({'next': self.next_url()})}")
        return None

    def form_valid(self, form):
        device = match_token(self.request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", WRONG_TOKEN)
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(self.request, VERIFIED)
        return redirect(self.next_url())
