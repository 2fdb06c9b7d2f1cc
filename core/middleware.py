from core.errors import database_unavailable_response, is_database_outage


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
