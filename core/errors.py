"""Error pages. A database outage answers 503 with a Chinese message, never a bare 500."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE_MESSAGE = _("系统暂时无法访问数据库，请稍后再试。您提交的内容没有保存，请稍后重新提交。")


def is_database_outage(exc):
    return isinstance(exc, (OperationalError, InterfaceError))


def wants_json(request):
    return request.path.startswith("/api/") or request.path == "/healthz"


def database_unavailable_response(request):
    """503 for a request that failed because the database could not be reached.

    Renders without touching the database (no session, no user lookup)."""
    if wants_json(request):
        response = JsonResponse({"detail": str(DATABASE_UNAVAILABLE_MESSAGE)}, status=503)
    else:
        html = loader.get_template("503.html").render({"message": DATABASE_UNAVAILABLE_MESSAGE})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """handler500: a database outage raised outside a view (middleware, sessions) also gets 503."""
    exc = sys.exc_info()[1]
    if is_database_outage(exc):
        return database_unavailable_response(request)
    if wants_json(request):
        return JsonResponse({"detail": "服务器内部错误，我们已记录，请稍后再试。"}, status=500)
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def permission_denied(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": "您没有执行该操作的权限。"}, status=403)
    html = loader.render_to_string("403.html", {"exception": exception}, request=request)
    return HttpResponse(html, status=403)


def page_not_found(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return HttpResponse(loader.render_to_string("404.html", {}, request=request), status=404)


def bad_request(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": "请求有误。"}, status=400)
    return HttpResponse(loader.render_to_string("400.html", {}, request=request), status=400)


def domain_error_response(request, exc):
    """A refused domain action (DomainError) as a page: its message, with its status code."""
    html = loader.render_to_string(
        "domain_error.html", {"message": exc.message, "status": exc.status_code}, request=request
    )
    return HttpResponse(html, status=exc.status_code)
