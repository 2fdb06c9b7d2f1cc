"""The portal's URL patterns, walked once for the tests that must cover every page (the
permission matrix in tests/security, the query budgets in tests/scale): a new page cannot slip
past them."""

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN = "admin:index"


def url_patterns():
    """(name, route, pattern) for every URL pattern; unnamed ones are named by their route.
    Django's admin site stands as one entry, `admin:index`, with its resolver as the pattern."""
    found = []

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    found.append((ADMIN, route, pattern))
                    continue
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                found.append((name or route, route, pattern))

    walk(get_resolver().url_patterns)
    return found
