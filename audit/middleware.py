from audit.context import request_context
from audit.registry import write_noted_views


class AuditContextMiddleware:
    """Makes the request's user the actor of the changes its view makes. DRF sets the user on
    the underlying request when it authenticates a token, so API changes are attributed too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_context(request):
            response = self.get_response(request)
            # Personal data this request showed: one 查阅 entry (audit.registry.note_view).
            write_noted_views(request)
            return response
