"""Token authentication that refuses expired tokens (a module of its own: DRF imports it from settings
before its views exist)."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from ..api_tokens import TOKEN_EXPIRED, api_token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if api_token_is_expired(token):
            raise AuthenticationFailed(TOKEN_EXPIRED)
        return user, token
