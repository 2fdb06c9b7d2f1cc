"""API tokens (django-rest-knox): only a digest of each token is stored; a token expires after
API_TOKEN_HOURS without use (each use moves the expiry on, at most once a minute); the client
sends `Authorization: Token <key>` as before.

Signing out of the API (`DELETE /api/v1/auth/token/`) deletes the token; a password change, a
deactivation and the end of a deputy's seat delete all of the user's tokens (`revoke_all`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions


def issue(user):
    """A new token for `user`: (the key to hand to the client once, its expiry)."""
    instance, key = AuthToken.objects.create(user=user)
    return key, instance.expiry


def revoke(token):
    """Sign one token out."""
    AuthToken.objects.filter(pk=token.pk).delete()


def revoke_all(user):
    """Every API token of `user` stops working at once. Returns how many there were."""
    if user is None or user.pk is None:
        return 0
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    """knox's token authentication with the portal's messages in Chinese."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as error:
            raise exceptions.AuthenticationFailed(
                _("令牌无效、已过期或已注销，请重新获取令牌。")
            ) from error

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用。"))
        return (auth_token.user, auth_token)


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme: the same `tokenAuth` the schema always named."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _('令牌认证：请求头 Authorization: Token <令牌>（POST /api/v1/auth/token/ 获取）'),
        }
