"""API conventions shared by every app: errors as {"detail": ...} in Chinese."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from drf_spectacular.openapi import AutoSchema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DATABASE_UNAVAILABLE_MESSAGE
from core.exceptions import DomainError


class PortalAutoSchema(AutoSchema):
    """Operation ids a generated client reads well: the path's words, then what the call does —
    `suggestions_list`, `suggestions_retrieve`, `activities_create` for the standard calls of a
    collection; a step or other extra action is named by its path alone (`suggestions_accept`,
    `votes_ballots`, not `suggestions_accept_create`), a single-purpose view likewise
    (`dashboard`, `awards_shortlist`)."""

    STANDARD_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy"}

    def get_operation_id(self):
        action = getattr(self.view, "action", None)
        action_map = getattr(self.view, "action_map", None)
        methods = list(action_map) if action_map else [
            m for m in self.view.allowed_methods if m not in ("OPTIONS", "HEAD")
        ]
        extra_action = action is not None and action not in self.STANDARD_ACTIONS
        single_purpose = action is None and len(methods) == 1
        if extra_action or single_purpose:
            words = [token.replace("-", "_") for token in self._tokenize_path()]
            if extra_action and len(methods) > 1:  # the same path answers more than one method
                words.append(self.method_mapping[self.method.lower()])
            return "_".join(words) or "root"
        return super().get_operation_id()


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
