from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Every API list: {"count", "next", "previous", "results"}, ?page= and a capped ?page_size=."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
