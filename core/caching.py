"""Best-effort caching: a value computed once and shared for a while, where the cache (Redis)
being down must slow a page down, never take it down."""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import mark_safe

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


# --- Versions of small reference tables --------------------------------------------------------

VERSION_KEY = "core:model-version:{}"
_watched = set()


def model_version(*models):
    """A token that changes whenever a row of one of `models` is saved or deleted (they must be
    watched with `watch_models`): part of the cache key of HTML built from those tables, such
    as a filter form's choices. One cache round trip; a cache error gives a fresh token (the
    caller then builds afresh)."""
    keys = [VERSION_KEY.format(model._meta.label_lower) for model in models]
    try:
        found = cache.get_many(keys)
        missing = {key: uuid.uuid4().hex for key in keys if key not in found}
        if missing:
            cache.set_many(missing, None)
    except Exception:
        logger.warning("cache unavailable, model versions unknown", exc_info=True)
        return uuid.uuid4().hex
    return "-".join({**found, **missing}[key][:8] for key in keys)


def bump_model_version(model):
    try:
        cache.set(VERSION_KEY.format(model._meta.label_lower), uuid.uuid4().hex, None)
    except Exception:
        logger.warning("cache unavailable, %s version not bumped", model._meta.label, exc_info=True)


def watch_models(*models):
    """Bump a model's version on every save and delete, at once and again after the commit
    (a page built from the old rows while the transaction was open is not kept). Bulk writes
    send no signal: call `bump_model_version` after them."""

    def changed(sender, **kwargs):
        bump_model_version(sender)
        transaction.on_commit(lambda: bump_model_version(sender))

    _watched.update(models)
    for model in models:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"model-version-save:{model._meta.label}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"model-version-delete:{model._meta.label}")


def bump_all_model_versions():
    """After a bulk load (the demo, synthetic data), which sends no signals."""
    for model in _watched:
        bump_model_version(model)


def shared_until_changed(key, build, *, models, seconds):
    """`build()` (HTML made from small reference tables, such as a list's empty filter form with
    its townships, stations and categories) shared under `key` until a row of one of `models`
    changes, and for at most `seconds` (0: built every time). The models must be watched with
    `watch_models`."""
    if not seconds:
        return build()
    return get_or_build(f"{key}:{model_version(*models)}", build, seconds)


def share_count(paginator, key, *, models, seconds):
    """A list's unfiltered count, shared under `key` (which names whose rows they are: a scope)
    until a row of `models` changes, for at most `seconds`. A city's staff's lists count tens of
    thousands of rows on every page (a parallel scan of the table, the largest part of the page's
    time); the count of a filtered list stays exact."""
    queryset = paginator.object_list
    paginator.count = shared_until_changed(key, queryset.count, models=models, seconds=seconds)
    return paginator


def rendered_rows(stamps, render, *, key, models, seconds):
    """The HTML of a list's rows, in the order of `stamps`: (pk, stamp) pairs where the stamp, a
    number or a string without spaces, changes whenever the row does (its `updated_at`). Each
    row is kept under `key`, its pk and stamp until the row changes, a row of `models` (the other
    tables whose names it shows) changes, or `seconds` pass; `render(pks)` returns {pk: html} for
    the rows not kept (all of them when `seconds` is 0; a row deleted meanwhile is left out).
    `key` carries whatever else the HTML depends on (language, the viewer's role, today's date).
    Reading costs two cache round trips instead of the rows' ORM objects and template; a cache
    error renders every row afresh."""
    pks = [pk for pk, _ in stamps]
    if not seconds or not pks:
        html = render(pks)
        return [html[pk] for pk in pks if pk in html]
    prefix = f"{key}:{model_version(*models)}"
    keys = {pk: f"{prefix}:{pk}:{stamp}" for pk, stamp in stamps}
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("cache unavailable, rendering %s rows afresh", key, exc_info=True)
        found = {}
    missing = [pk for pk in pks if keys[pk] not in found]
    fresh = render(missing) if missing else {}
    if fresh:
        try:
            cache.set_many({keys[pk]: html for pk, html in fresh.items()}, seconds)
        except Exception:
            logger.warning("cache unavailable, %s rows not stored", key, exc_info=True)
    # A row deleted between the two reads is left out.
    # The cached HTML is what our own templates rendered (autoescaped) for these rows.
    return [mark_safe(found[keys[pk]]) if keys[pk] in found else fresh[pk] for pk in pks  # noqa: S308
            if keys[pk] in found or pk in fresh]
