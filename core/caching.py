"""Best-effort caching: a value computed once and shared for a while, where the cache (Redis)
being down must slow a page down, never take it down."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def get_or_build(key, build, timeout):
    """The cached value of `key`, else `build()` stored for `timeout` seconds. Any cache error
    is logged and the value computed afresh."""
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("cache unavailable, computing %s afresh", key, exc_info=True)
        value = None
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("cache unavailable, %s not stored", key, exc_info=True)
    return value
