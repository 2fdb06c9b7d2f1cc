from django.http import JsonResponse

from core.errors import (
    database_unavailable_response,
    domain_error_response,
    is_database_outage,
    wants_json,
)
from core.exceptions import DomainError


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection inside a view into a 503 with a Chinese message.

    Transactions (ATOMIC_REQUESTS is off; services use transaction.atomic) roll back on the
    exception, so no half-written record remains."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return database_unavailable_response(request)
        return None


class DomainErrorMiddleware:
    """A service's DomainError (a refused transition, a rule) raised in a page view becomes a
    page with the Chinese message and the error's status (400/409/429), never a 500.
    The API turns the same errors into JSON in core.api.exception_handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            if wants_json(request):
                return JsonResponse({"detail": str(exception.message)}, status=exception.status_code)
            return domain_error_response(request, exception)
        return None
