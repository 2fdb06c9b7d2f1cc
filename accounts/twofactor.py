"""Optional two-factor sign-in (TOTP, any authenticator app) for admins and staff.

Signing in with a password only starts the login when the user has a confirmed TOTP device:
the user id waits in the session until the 6-digit code is checked. Each wrong code counts
towards the lockout as a wrong password does; five end the attempt. The API's token endpoint
asks for the code too (`otp`)."""

import segno
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_USER = "2fa_pending_user"
PENDING_BACKEND = "2fa_pending_backend"
PENDING_FAILURES = "2fa_failures"
MAX_CODE_FAILURES = 5


def has_two_factor(user):
    return user_has_device(user, confirmed=True)


def start(request, user):
    """Password accepted; wait for the code."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_FAILURES] = 0


def pending_user(request):
    user_id = request.session.get(PENDING_USER)
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def record_failed_code(request, user):
    """A wrong code counts towards the sign-in lockout (django-axes) like a wrong password, so
    that knowing the password does not allow guessing codes without end."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def verify(request, user, code):
    """Check the code; on success complete the login. Returns True/False; a wrong code counts
    towards the lockout, and after too many failures the pending login is dropped."""
    code = (code or "").strip().replace(" ", "")
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if code.isdigit() and device.verify_token(code):
            backend = request.session.get(PENDING_BACKEND)
            for key in (PENDING_USER, PENDING_BACKEND, PENDING_FAILURES):
                request.session.pop(key, None)
            auth_login(request, user, backend=backend)
            otp_login(request, device)
            return True
    record_failed_code(request, user)
    failures = request.session.get(PENDING_FAILURES, 0) + 1
    request.session[PENDING_FAILURES] = failures
    if failures >= MAX_CODE_FAILURES:
        for key in (PENDING_USER, PENDING_BACKEND, PENDING_FAILURES):
            request.session.pop(key, None)
    return False


def match(user, code):
    code = (code or "").strip()
    return code.isdigit() and any(
        device.verify_token(code) for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def setup_device(user):
    """The user's unconfirmed device for enrolment (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def confirm_device(device, code):
    code = (code or "").strip()
    if code.isdigit() and device.verify_token(code):
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return True
    return False


def disable(user):
    TOTPDevice.objects.filter(user=user).delete()


def provisioning_svg(device):
    """The otpauth:// URL as an inline SVG QR code for the authenticator app."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def secret_base32(device):
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def reset(user, *, by):
    """An admin resets `user`'s two-factor (a lost phone): the devices are deleted, so the next
    sign-in asks for the password only and the user enrols again. Nobody ever reads a secret;
    the reset is logged, and the user's API tokens die with it."""
    from audit.models import AuditEntry
    from audit.registry import log

    from accounts.models import Role
    from accounts.tokens import revoke_all

    if getattr(by, "role", None) != Role.ADMIN:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    deleted, _per_model = TOTPDevice.objects.filter(user=user).delete()
    revoke_all(user)
    log(AuditEntry.Action.UPDATE, user, actor=by, changes={"two_factor": ["reset", deleted]})
    return deleted
