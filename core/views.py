from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core import calendar


def database_check():
    """"ok" when the database answers a query, else the error's name (for both health checks)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
def healthz(request):
    """Liveness and readiness: 200 when the database answers, 503 when it does not."""
    checks = {"database": database_check()}
    healthy = checks["database"] == "ok"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured"
    checks["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(checks, status=200 if healthy else 503)


def _check_storage():
    """The media storage answers: the bucket exists and the keys are accepted (MEDIA_STORAGE=s3),
    or MEDIA_ROOT and REPORTS_ROOT (or the folders they will be made in) are writable."""
    import os
    from pathlib import Path

    from django.core.files.storage import default_storage

    from core.media import is_remote

    if is_remote(default_storage):
        default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
        return "ok"
    for root in (settings.MEDIA_ROOT, settings.REPORTS_ROOT):
        folder = Path(root)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            raise PermissionError(str(root))
    return "ok"


def _check_workers(redis_ok):
    """Which Celery queues a live worker consumes (a ping through the broker): every queue by
    kind must have one. Tasks run in the web process itself without REDIS_URL (eager)."""
    from congress.celery import app, queue_names

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used (tasks run in the web process)", {}, True
    if not redis_ok:
        return "error: broker unreachable", {}, False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        replies = app.control.inspect(timeout=1.0, connection=conn).active_queues() or {}
    consumers = {name: 0 for name in queue_names(app.conf.task_default_queue)}
    for queues in replies.values():
        for queue in queues:
            if queue["name"] in consumers:
                consumers[queue["name"]] += 1
    missing = [name for name, count in consumers.items() if not count]
    if missing:
        return f"error: no worker for {', '.join(missing)}", consumers, False
    return "ok", consumers, True


def deep_check_allowed(request):
    """Admins signed in, or a monitor sending `Authorization: Bearer <HEALTHZ_TOKEN>`."""
    import hmac

    from accounts.models import Role

    token = settings.HEALTHZ_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    user = request.user
    return user.is_authenticated and user.role == Role.ADMIN


@never_cache
def healthz_deep(request):
    """For monitoring, not for the load balancer (that polls /healthz): the database, Redis, the
    object storage and the Celery workers of every queue, each "ok" or "error: …"; 200 when all
    answer, 503 when one fails. Admins, or HEALTHZ_TOKEN as a bearer token; 403 for anyone else
    (it costs a broker round trip of a second)."""
    from django.utils.translation import gettext as _

    if not deep_check_allowed(request):
        return JsonResponse({"detail": _("只有管理员或监控系统可以查看。")}, status=403)
    checks = {"database": database_check()}
    healthy = checks["database"] == "ok"
    redis_ok = False
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
            redis_ok = True
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
            healthy = False
    else:
        checks["redis"] = "not configured"
    try:
        checks["storage"] = _check_storage()
    except Exception as exc:
        checks["storage"] = f"error: {exc.__class__.__name__}"
        healthy = False
    try:
        checks["workers"], checks["queues"], ok = _check_workers(redis_ok)
    except Exception as exc:
        checks["workers"], checks["queues"], ok = f"error: {exc.__class__.__name__}", {}, False
    healthy = healthy and ok
    checks["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(checks, status=200 if healthy else 503)


def home(request):
    """The start page: the public entrance for visitors, a task board for signed-in users (with
    a warning for staff when the official holiday calendar of this or next year is missing)."""
    missing = calendar.missing_year(timezone.localdate()) if request.user.is_authenticated else None
    return render(request, "core/home.html", {"calendar_missing_year": missing})


def ping(request):
    """"pong", touching neither the database nor a template: the bare Django reference that
    bench/http_bench.py measures every other page against."""
    return HttpResponse("pong", content_type="text/plain; charset=utf-8")


CARE_COOKIE_SECONDS = 365 * 24 * 3600


def care(request):
    """长辈模式 on or off (`?on=1` / `?on=0`), kept in a cookie for a year, then back to the page
    the link was on (`?next=`, this site only). A plain link: works without JavaScript."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from core.context_processors import CARE_COOKIE

    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.GET.get("on", "1") == "1":
        response.set_cookie(CARE_COOKIE, "1", max_age=CARE_COOKIE_SECONDS, samesite="Lax",
                            secure=request.is_secure(), httponly=True)
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response
