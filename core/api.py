"""API conventions shared by every app: errors as {"detail": ...} in Chinese."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DATABASE_UNAVAILABLE_MESSAGE
from core.exceptions import DomainError


def local_times_in_schema(result, generator, request, public):
    """drf-spectacular hook: times are local wall-clock times ("09:00:00", no UTC offset), which
    JSON Schema's "time" format (RFC 3339 full-time, offset required) rejects; describe them by
    their pattern instead, so clients validating against the schema accept what the API sends."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "time":
                node.pop("format")
                node["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
                node.setdefault("example", "09:00:00")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (OperationalError, InterfaceError)) or type(exc) is DatabaseError:
        return Response(
            {"detail": DATABASE_UNAVAILABLE_MESSAGE},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    return drf_exception_handler(exc, context)
