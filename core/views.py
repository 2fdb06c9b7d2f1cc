from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core import calendar


@never_cache
def healthz(request):
    """Liveness and readiness: 200 when the database answers, 503 when it does not."""
    checks = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
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


def home(request):
    """The start page: the public entrance for visitors, a task board for signed-in users (with
    a warning for staff when the official holiday calendar of this or next year is missing)."""
    missing = calendar.missing_year(timezone.localdate()) if request.user.is_authenticated else None
    return render(request, "core/home.html", {"calendar_missing_year": missing})


def ping(request):
    """"pong", touching neither the database nor a template: the bare Django reference that
    bench/http_bench.py measures every other page against."""
    return HttpResponse("pong", content_type="text/plain; charset=utf-8")
