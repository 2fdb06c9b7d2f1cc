from django.conf import settings
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy, tokens, twofactor
from accounts.forms import CodeForm, LoginForm
from accounts.permissions import role_required, use_two_factor


def lockout_message():
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("登录失败次数过多，该账号或网络地址已被锁定%(minutes)s分钟，请稍后再试。") % {
        "minutes": minutes
    }


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with a Chinese message, as JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(
        request, "accounts/locked_out.html", {"message": lockout_message()}, status=429
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_two_factor(user):
            twofactor.start(self.request, user)
            target = reverse("accounts:login_code")
            next_url = self.get_redirect_url()
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        return super().form_valid(form)


def login_code(request):
    """Second step of a two-factor login: the 6-digit code from the authenticator app."""
    user = twofactor.pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, user, form.cleaned_data["code"]):
            next_url = request.POST.get("next") or request.GET.get("next")
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
        if twofactor.pending_user(request) is None:
            messages.error(request, _("验证码错误次数过多，请重新输入用户名和密码。"))
            return redirect("accounts:login")
        form.add_error("code", _("验证码不正确或已过期，请输入验证器上当前显示的6位数字。"))
    return render(
        request,
        "accounts/login_code.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@role_required(use_two_factor)
def two_factor(request):
    """Enable or disable TOTP for one's own account."""
    enabled = twofactor.has_two_factor(request.user)
    form = CodeForm(request.POST or None)
    device = None if enabled else twofactor.setup_device(request.user)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if enabled:
            if twofactor.match(request.user, code):
                twofactor.disable(request.user)
                messages.success(request, _("已关闭两步验证。"))
                return redirect("accounts:two_factor")
        elif twofactor.confirm_device(device, code):
            policy.two_factor_enrolled(request)
            messages.success(request, _("已开启两步验证，下次登录时需要输入验证器上的6位数字。"))
            return redirect("accounts:two_factor")
        form.add_error("code", _("验证码不正确，请输入验证器上当前显示的6位数字。"))
    context = {"form": form, "enabled": enabled}
    if device is not None:
        context.update(
            qr_svg=twofactor.provisioning_svg(device), secret=twofactor.secret_base32(device)
        )
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        policy.password_changed(self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# Named "Token" in the schema: a request body is "<name>Request" there (COMPONENT_SPLIT_REQUEST).
@extend_schema_serializer(component_name="Token")
class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"))
    password = serializers.CharField(label=_("密码"), style={"input_type": "password"})
    otp = serializers.CharField(
        label=_("动态验证码"), required=False, allow_blank=True, max_length=10,
        help_text=_("已启用两步验证的账号必填：验证器应用显示的6位数字。"),
    )


class ObtainTokenView(APIView):
    """POST username and password, get {"token": ...} for `Authorization: Token <token>`;
    DELETE with the token signs it out (204; the token answers 401 from then on)."""

    serializer_class = TokenRequestSerializer

    def _method(self):
        return getattr(getattr(self, "request", None), "method", None)

    def get_authenticators(self):
        # Asking for a token needs no credentials (a stale header must not stand in the way);
        # signing one out is done with that token.
        if self._method() == "DELETE":
            return [tokens.ExpiringTokenAuthentication()]
        return []

    def get_permissions(self):
        return [IsAuthenticated()] if self._method() == "DELETE" else [AllowAny()]

    @extend_schema(
        operation_id="auth_token_revoke",
        request=None,
        responses={
            204: OpenApiResponse(description=_("令牌已注销")),
            401: OpenApiResponse(description=_("令牌无效、已过期或已注销")),
        },
        tags=["auth"],
    )
    def delete(self, request):
        tokens.revoke(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="auth_token",
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {
                "token": serializers.CharField(),
                "expiry": serializers.DateTimeField(
                    help_text=_("不使用时的失效时间；每次使用后顺延（API_TOKEN_HOURS 小时）")),
            }),
            400: OpenApiResponse(description=_("用户名或密码错误，或动态验证码缺失、不正确（otp）")),
            429: OpenApiResponse(description=_("失败次数过多，已锁定")),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("用户名或密码错误。")}, status=status.HTTP_400_BAD_REQUEST
            )
        if twofactor.has_two_factor(user):
            # The password alone is not enough for an account with two-factor sign-in, here as
            # on the sign-in page; a wrong code counts towards the lockout like a wrong password.
            code = serializer.validated_data.get("otp", "")
            if not code:
                return Response({"otp": [_("该账号已启用两步验证，请同时提交验证器应用显示的6位动态验证码（otp）。")]},
                                status=status.HTTP_400_BAD_REQUEST)
            if not twofactor.match(user, code):
                twofactor.record_failed_code(django_request, user)
                return Response({"otp": [_("动态验证码不正确或已过期，请重新输入。")]},
                                status=status.HTTP_400_BAD_REQUEST)
        refusal = policy.api_refusal(user)
        if refusal:
            return Response({"detail": refusal}, status=status.HTTP_403_FORBIDDEN)
        key, expiry = tokens.issue(user)
        return Response({"token": key, "expiry": expiry})
