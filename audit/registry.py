"""Registration of audited models and the signal handlers that write AuditEntry rows.

    audit.registry.register(Deputy, masked=["phone"])

Bulk writes bypass signals; services doing bulk writes call `log()` themselves."""

import datetime
import decimal
import re
import uuid

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from audit.context import current_actor, current_ip, current_request
from core.privacy import mask_phone
from audit.models import AuditEntry

_registered = {}
_MOBILE = re.compile(r"\+?\d[\d -]{6,18}\d")


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple, set)):
        return [_json_value(v) for v in value]
    return str(value)


def _snapshot(instance, options):
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in options["exclude"]:
            continue
        value = _json_value(field.value_from_object(instance))
        if field.name in options["masked"] and value:
            value = mask_phone(value)
        values[field.attname] = value
    return values


def log(action, instance=None, *, changes=None, actor=None, object_repr=None):
    """Write one audit entry (for bulk writes, exports, imports and sign-in events). An export
    (or a generated file) is also reading personal data: it is noted for the request's 查阅."""
    if action == AuditEntry.Action.EXPORT:
        count = (changes or {}).get("count")
        note_view(object_repr or (str(instance) if instance is not None else "导出"),
                  count if isinstance(count, int) else 1)
    return AuditEntry.objects.create(
        actor=actor if actor is not None else current_actor(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance) if instance is not None else None,
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=(object_repr or (str(instance) if instance is not None else ""))[:200],
        changes=changes or {},
        ip_address=current_ip(),
    )


def log_view(kind, count=1, *, instance=None, actor=None, detail=None):
    """One 查阅 entry for reading personal data: who (the actor), when, which kind of record
    (`kind`, e.g. "群众意见"), how many records (`count`) and from where (the request's address).
    `detail` adds what else the reader gave (a reason)."""
    label = f"{kind} × {count}"
    return log(AuditEntry.Action.VIEW, instance, actor=actor, object_repr=label,
               changes={"kind": str(kind), "count": count, **(detail or {})})


VIEWS_ATTRIBUTE = "_audit_personal_data_views"


def note_view(kind, count=1):
    """This request showed personal data (a full phone or ID number) of `count` records of
    `kind`. Noted on the request and written as ONE 查阅 entry when the response is ready
    (`audit.middleware.AuditContextMiddleware`): a list of 50 rows costs one INSERT, not 50.
    Outside a request (a command, a task) the entry is written at once."""
    request = current_request()
    if request is None:
        log_view(kind, count)
        return
    seen = request.__dict__.setdefault(VIEWS_ATTRIBUTE, {})
    seen[str(kind)] = seen.get(str(kind), 0) + count


def write_noted_views(request):
    """The one 查阅 entry of a request that noted personal data read (see `note_view`)."""
    seen = request.__dict__.pop(VIEWS_ATTRIBUTE, None)
    if not seen:
        return None
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    total = sum(seen.values())
    label = "、".join(f"{kind} × {n}" for kind, n in seen.items())
    return log(AuditEntry.Action.VIEW, actor=actor, object_repr=label,
               changes={"kinds": seen, "count": total, "path": request.path[:200]})


def register(model, *, exclude=(), masked=(), describe=None):
    """Audit every save and delete of `model`. `exclude`: fields never written to the log;
    `masked`: phone numbers written masked; `describe(instance)`: the entry's label, when the
    model's str() would carry personal data."""
    _registered[model] = {
        "exclude": set(exclude) | {"password", "last_login", "updated_at"},
        "masked": set(masked),
        "describe": describe,
    }
    pre_save.connect(_remember_previous, sender=model, dispatch_uid=f"audit-pre-{model.__name__}")
    post_save.connect(_log_save, sender=model, dispatch_uid=f"audit-post-{model.__name__}")
    post_delete.connect(_log_delete, sender=model, dispatch_uid=f"audit-del-{model.__name__}")
    return model


def _remember_previous(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_previous = None
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_previous = (
        _snapshot(previous, _registered[sender]) if previous is not None else None
    )


def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    current = _snapshot(instance, _registered[sender])
    previous = getattr(instance, "_audit_previous", None)
    if created or previous is None:
        changes = {k: [None, v] for k, v in current.items() if v not in (None, "", [])}
        action = AuditEntry.Action.CREATE
    else:
        changes = {k: [previous.get(k), v] for k, v in current.items() if previous.get(k) != v}
        if not changes:
            return
        action = AuditEntry.Action.UPDATE
    log(action, instance, changes=changes, object_repr=_describe(sender, instance))


def _describe(sender, instance):
    describe = _registered[sender]["describe"]
    return describe(instance) if describe is not None else None


def _log_delete(sender, instance, **kwargs):
    log(
        AuditEntry.Action.DELETE, instance, changes={"deleted": _snapshot(instance, _registered[sender])},
        object_repr=_describe(sender, instance),
    )


def _log_login(sender, request, user, **kwargs):
    log(AuditEntry.Action.LOGIN, user, actor=user)


def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        log(AuditEntry.Action.LOGOUT, user, actor=user)


def _log_login_failed(sender, credentials, request=None, **kwargs):
    # Deputies sign in with their mobile number: a mistyped one is still somebody's number.
    username = str(credentials.get("username", ""))[:150]
    if _MOBILE.fullmatch(username):
        username = mask_phone(username)
    log(AuditEntry.Action.LOGIN_FAILED, object_repr=username, changes={"username": username})


user_logged_in.connect(_log_login, dispatch_uid="audit-login")
user_logged_out.connect(_log_logout, dispatch_uid="audit-logout")
user_login_failed.connect(_log_login_failed, dispatch_uid="audit-login-failed")
