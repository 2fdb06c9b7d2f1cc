"""`seed_demo`'s data for tests that need the demo county but do not test `seed_demo` itself (the
annual report, the browser tests): seeded once per test process and day, and then copied back in
from memory, all rows of a table in one INSERT, instead of being played again through the
services (a minute on a busy machine; copying back takes seconds).

Call `load_demo()` where `seed_demo` would be called: on a database holding only what the
migrations put there."""

from contextlib import ExitStack

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

# Tables a test database fills by itself (post_migrate), never copied.
LEFT_ALONE = {"contenttypes.contenttype", "auth.permission", "sessions.session"}

_snapshots = {}  # (database name, today) -> [(model, [rows])]


def _models():
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in LEFT_ALONE:
            continue
        yield model


def _take():
    return [(model, rows) for model in _models() if (rows := list(model._base_manager.all()))]


def _put_back(snapshot):
    with ExitStack() as stack, transaction.atomic():
        for model, rows in snapshot:
            for field in model._meta.concrete_fields:
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    # Keep the stored times (bulk_create would stamp them with now).
                    saved = (field.auto_now, field.auto_now_add)
                    field.auto_now = field.auto_now_add = False
                    stack.callback(_restore, field, saved)
        for model, rows in snapshot:
            for row in rows:
                row._state.adding, row._state.db = True, None
            # Rows the migrations made (categories, the duty rule) are there already.
            model._base_manager.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _rows in snapshot])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _restore(field, saved):
    field.auto_now, field.auto_now_add = saved


def load_demo():
    """The demo county in the current database: `seed_demo` the first time in this process (and
    on each new day of the frozen clock), a copy of what it made after that."""
    key = (connection.settings_dict["NAME"], timezone.localdate())
    snapshot = _snapshots.get(key)
    if snapshot is None:
        call_command("seed_demo", verbosity=0)
        _snapshots[key] = _take()
    else:
        _put_back(snapshot)
