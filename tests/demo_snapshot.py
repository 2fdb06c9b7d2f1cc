"""`seed_demo`'s data for tests that need the demo county but do not test `seed_demo` itself (the
annual report, the browser tests): seeded once per test process and day, and then copied back in
from memory, all rows of a table in one INSERT, instead of being played again through the
services (a minute on a busy machine; copying back takes seconds).

Call `load_demo()` where `seed_demo` would be called: on a database holding only what the
migrations put there.

With DEMO_SNAPSHOT_DIR set (tests/suite.sh makes one folder per run), the snapshot is shared by
every test process of the run: the first to need it seeds and writes it there under a lock, the
others wait for it and read it (four processes seeding at once on two cores took four minutes
each; the folder lives for one run, so a snapshot never outlives the code that made it)."""

import fcntl
import os
import pickle
from contextlib import ExitStack
from pathlib import Path

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


def _natural_keys():
    """{model: {pk: natural key}} for the tables a test database fills by itself: their ids differ
    from one database to another (and after a flush), so rows pointing at them are mapped by these."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return {
        ContentType: {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()},
        Permission: {p.pk: (p.content_type.app_label, p.content_type.model, p.codename)
                     for p in Permission.objects.select_related("content_type")},
    }


def _take():
    tables = [(model, rows) for model in _models() if (rows := list(model._base_manager.all()))]
    return {"tables": tables, "keys": _natural_keys()}


def _map_to_this_database(snapshot):
    """Point the rows' content types and permissions at this database's rows of the same names."""
    current = _natural_keys()
    here = {model: {key: pk for pk, key in keys.items()} for model, keys in current.items()}
    moved = {model: {old: here[model].get(key, old) for old, key in keys.items()}
             for model, keys in snapshot["keys"].items()}
    for model, rows in snapshot["tables"]:
        for field in model._meta.concrete_fields:
            mapping = moved.get(field.related_model) if field.is_relation else None
            if mapping:
                for row in rows:
                    old = getattr(row, field.attname)
                    if old is not None:
                        setattr(row, field.attname, mapping.get(old, old))
    snapshot["keys"] = current  # the rows point at this database's ids now


def _put_back(snapshot):
    _map_to_this_database(snapshot)
    snapshot = snapshot["tables"]
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


def _shared(day, seed):
    """The run's snapshot for `day` from DEMO_SNAPSHOT_DIR, made by `seed()` (which seeds this
    database and returns the snapshot) in the first process to ask; None without the folder."""
    folder = os.environ.get("DEMO_SNAPSHOT_DIR")
    if not folder:
        return None
    path = Path(folder) / f"demo-{connection.vendor}-{day:%Y%m%d}.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other processes wait here while one seeds
        if path.exists():
            return pickle.loads(path.read_bytes())  # noqa: S301 (written by this run's own processes, in its own folder)
        snapshot = seed()
        path.with_suffix(".tmp").write_bytes(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
        path.with_suffix(".tmp").replace(path)
        return snapshot


def load_demo():
    """The demo county in the current database: `seed_demo` the first time in this process (or
    in this run, with DEMO_SNAPSHOT_DIR) and on each new day of the frozen clock, a copy of what
    it made after that."""
    day = timezone.localdate()
    key = (connection.settings_dict["NAME"], day)
    snapshot = _snapshots.get(key)
    if snapshot is not None:
        _put_back(snapshot)
        return
    seeded = []

    def seed():
        call_command("seed_demo", verbosity=0)
        seeded.append(True)
        return _take()

    snapshot = _shared(day, seed)
    if snapshot is None:
        snapshot = seed()
    elif not seeded:
        _put_back(snapshot)
    _snapshots[key] = snapshot
