"""Fixed-window rate limits kept in the cache (Redis when configured, so all workers share them).

If the cache itself is unreachable the limit is not enforced: a citizen's submission must not
be lost because Redis is down (the outage is logged)."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def hit(scope, key, *, limit, period):
    """Count one request for (scope, key); True while the count stays within `limit` per `period`
    seconds."""
    window = int(time.time() // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    try:
        if cache.add(cache_key, 1, timeout=period + 1):
            count = 1
        else:
            try:
                count = cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.set(cache_key, 1, timeout=period + 1)
                count = 1
    except Exception as exc:
        logger.warning("rate limit cache unavailable for %s: %s", scope, exc)
        return True
    return count <= limit


def remember(scope, key, *, timeout):
    """Record that `key` happened (e.g. a content fingerprint); False if it was already recorded."""
    try:
        return cache.add(f"seen:{scope}:{key}", 1, timeout=timeout)
    except Exception as exc:
        logger.warning("rate limit cache unavailable for %s: %s", scope, exc)
        return True


def forget(scope, key):
    try:
        cache.delete(f"seen:{scope}:{key}")
    except Exception as exc:
        logger.warning("rate limit cache unavailable for %s: %s", scope, exc)
