from audit.context import request_context


class AuditContextMiddleware:
    """Makes the request's user the actor of the changes its view makes. DRF sets the user on
    the underlying request when it authenticates a token, so API changes are attributed too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_context(request):
            return self.get_response(request)
