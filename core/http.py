from django.conf import settings


def client_ip(request):
    """The client's address; X-Forwarded-For is trusted only behind TRUSTED_PROXY_COUNT proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def query_without_page(request):
    """The current filters as a query string, for pagination links."""
    data = filter_data(request)
    return data.urlencode() if data else ""


def filter_data(request):
    """The list's filters from the query string, or None when there are none: `?page=2` alone
    leaves the filterset unbound, so the default view (and its shared filter form) stays the
    default on every page."""
    data = request.GET.copy()
    data.pop("page", None)
    return data or None
