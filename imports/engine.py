"""The import engine, one for every kind (deputies, stations, handling units) and for pages and
the API alike: read the sheet, check every row against the database (new / changed / unchanged /
wrong), and only when staff confirm write every row in one transaction, as one batch that the
audit log records and that can be undone.

A kind is an `Importer` (see its docstring); the engine does the rest: reading, one row per key,
counting, the batch, the journal of what was written, and the undo."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.registry import log
from core.excel import CellError, ExcelImportError, read_rows
from imports.models import ImportBatch

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "不变", ERROR: "错误"}


class ImportRefused(Exception):
    """Some rows are wrong (or the file cannot be read): nothing was written."""

    def __init__(self, preview):
        self.preview = preview
        super().__init__("; ".join(str(e) for e in preview.errors))


class UndoRefused(Exception):
    """The batch cannot be undone (not the last one, already undone, or its rows are in use)."""


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowResult:
    """One row of the sheet as the preview shows it."""

    row: int
    label: str = ""
    action: str = ""
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # What the importer's write() needs (the instance with its new values, members …).
    target: object = None

    def error(self, column, message):
        self.errors.append(CellError(self.row, str(column), str(message)))

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]


@dataclass
class Preview:
    kind: str
    results: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    # What the importer loaded for the checks; writing goes on with it (same transaction).
    context: object = None

    def count(self, action):
        return sum(1 for r in self.results if r.action == action)

    @property
    def errors(self):
        return [*self.file_errors, *(e for r in self.results for e in r.errors)]

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)

    def as_json(self):
        """The API's answer: {"created", "updated", "unchanged", "errors": [{row, column, message}]}."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [asdict(e) for e in self.errors],
        }


def text_of(value):
    """How a value is shown in the preview's old → new."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


class Journal:
    """What a confirmation writes, so that the batch can be undone: created rows (removed on
    undo), the previous values of updated rows (restored), deleted rows (made again)."""

    def __init__(self):
        self.entries = []

    @staticmethod
    def _label(obj):
        return obj._meta.label_lower

    def created(self, obj):
        self.entries.append({"model": self._label(obj), "pk": obj.pk, "created": True})

    def before(self, obj, fields):
        """Call before changing `fields` (names) of a saved row."""
        self.record(obj, {obj._meta.get_field(name).attname: obj._meta.get_field(name).value_from_object(obj)
                          for name in fields})

    def record(self, obj, before):
        """A saved row's values ({attname: value}) before the import changed it."""
        values = {name: _json(value) for name, value in before.items()}
        self.entries.append({"model": self._label(obj), "pk": obj.pk, "created": False, "before": values})

    def deleted(self, obj):
        """Call before deleting a row (a station member taken off the list)."""
        values = {f.attname: _json(f.value_from_object(obj)) for f in obj._meta.concrete_fields}
        self.entries.append({"model": self._label(obj), "pk": obj.pk, "deleted": True, "before": values})


def _json(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


class Importer:
    """One kind of import. Subclasses set:

    - `kind` (URL name), `title` ("代表"), `columns` (core.excel.Column list), `permission`,
      `key_column` (the column whose duplicates in a file are refused), `instructions`;
    - `key(texts)`: the row's natural key (None when it has none);
    - `load(rows, by)`: everything the checks need, read in a constant number of queries;
    - `check(result, texts, context, by)`: fill in `result` (label, action, changes, errors,
      target) without queries;
    - `write(result, context, journal, by)`: save one checked row, telling the journal."""

    kind = ""
    title = ""
    columns = []
    permission = None
    key_column = ""
    instructions = []
    list_url = ""

    def key(self, texts):
        raise NotImplementedError

    def keys(self, texts):
        """[(column key, natural key)]: no two rows of a file may share one. By default the
        row's `key` under `key_column`."""
        return [(self.key_column, self.key(texts))]

    def load(self, rows, by):
        raise NotImplementedError

    def check(self, result, texts, context, by):
        raise NotImplementedError

    def write(self, result, context, journal, by):
        raise NotImplementedError

    def header(self, key):
        return next(str(c.header) for c in self.columns if c.key == key)

    def validate_model(self, result, instance, exclude, **options):
        """The model's own field checks (`full_clean`), each message reported under its column
        (or its field name), skipping columns that already have an error."""
        from django.core.exceptions import ValidationError

        reported = {e.column for e in result.errors}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, **options)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = next((str(c.header) for c in self.columns if c.key == name), name)
                if column not in reported:
                    for message in messages:
                        result.error(column, message)


def read(importer, uploaded_file):
    """The sheet's rows, or ExcelImportError when the file cannot be read or has no rows."""
    rows = read_rows(uploaded_file, importer.columns)
    if not rows:
        raise ExcelImportError(CellError(2, _("文件"), _("没有找到要导入的数据行。")))
    return [[number, texts] for number, texts in rows]


def preview(importer, rows, *, by):
    """Check every row against the database; nothing is written."""
    importer.permission.check(by)
    context = importer.load(rows, by)
    result = Preview(kind=importer.kind, context=context)
    seen = {}
    for number, texts in rows:
        row = RowResult(row=number)
        importer.check(row, texts, context, by)
        for column, key in importer.keys(texts):
            if key is None:
                continue
            if (column, key) in seen:
                row.error(importer.header(column),
                          _("与第%(row)s行重复，同一文件中每人（每条）只能出现一次。") % {"row": seen[column, key]})
            seen.setdefault((column, key), number)
        if row.errors:
            row.action = ERROR
        result.results.append(row)
    return result


def preview_file(importer, uploaded_file, *, by):
    """Read and check an uploaded sheet (the API's dry run); unreadable files give a preview
    with the file's error."""
    importer.permission.check(by)
    try:
        rows = read(importer, uploaded_file)
    except ExcelImportError as exc:
        return Preview(kind=importer.kind, file_errors=exc.errors), None
    return preview(importer, rows, by=by), rows


def stage(importer, rows, *, file_name, by):
    """Keep a sheet's rows (from `read`) as a pending batch for the preview page."""
    importer.permission.check(by)
    # A pending batch nobody confirmed within a day is forgotten.
    ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, uploaded_at__lt=timezone.now() - timezone.timedelta(days=1)
    ).delete()
    return ImportBatch.objects.create(
        kind=importer.kind, file_name=file_name[:200], rows=rows, uploaded_by=by
    )


@transaction.atomic
def apply(importer, rows, *, by, batch=None, file_name=""):
    """Write every row, or none: the rows are checked again inside the transaction (the
    database may have changed since the preview), and ImportRefused is raised when any is
    wrong. Returns the applied batch, recorded in the audit log."""
    checked = preview(importer, rows, by=by)
    if checked.errors:
        raise ImportRefused(checked)
    journal = Journal()
    for result in checked.results:
        if result.action in (CREATE, UPDATE):
            importer.write(result, checked.context, journal, by)
    if batch is None:
        batch = ImportBatch(kind=importer.kind, file_name=file_name[:200], uploaded_by=by)
    # Personal data is kept only as long as it serves: the sheet's cells go once written, and
    # the previous values only while the batch can still be undone (the newest of its kind).
    ImportBatch.objects.filter(kind=importer.kind, status=ImportBatch.Status.APPLIED).update(undo=[])
    batch.rows, batch.undo = [], journal.entries
    batch.created, batch.updated, batch.unchanged = checked.created, checked.updated, checked.unchanged
    batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
    batch.save()
    log(
        AuditEntry.Action.IMPORT, batch,
        object_repr=_("导入%(title)s：新增%(created)s，更新%(updated)s，不变%(unchanged)s") % {
            "title": importer.title, "created": batch.created, "updated": batch.updated,
            "unchanged": batch.unchanged,
        },
        changes={"batch": batch.pk, "kind": importer.kind, "file": batch.file_name,
                 "created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged},
        actor=by,
    )
    return batch


@transaction.atomic
def confirm(batch, *, by):
    """Staff confirm a pending batch they uploaded (once: a second click finds it applied)."""
    from imports import registry

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise PermissionDenied(_("该批次已处理，请重新上传。"))
    return apply(registry.get(batch.kind), batch.rows, by=by, batch=batch)


def import_file(importer, uploaded_file, *, by, dry_run):
    """The API: check (dry run) or write an uploaded sheet in one call. Returns (preview,
    batch or None); raises ImportRefused when writing and any row is wrong."""
    checked, rows = preview_file(importer, uploaded_file, by=by)
    if dry_run:
        return checked, None
    if checked.errors:
        raise ImportRefused(checked)
    return checked, apply(importer, rows, by=by, file_name=getattr(uploaded_file, "name", ""))


def batches_of(kind, user):
    """The applied batches of a kind that a user may see: their own, or all for admins."""
    from accounts.models import Role

    batches = ImportBatch.objects.filter(kind=kind).exclude(status=ImportBatch.Status.PENDING)
    if user.role != Role.ADMIN:
        batches = batches.filter(uploaded_by=user)
    return batches.select_related("uploaded_by", "undone_by")


def last_batch(kind):
    """The newest applied batch of a kind (the only one that may be undone)."""
    return (
        ImportBatch.objects.filter(kind=kind, status=ImportBatch.Status.APPLIED)
        .order_by("-applied_at", "-id").first()
    )


def can_undo(batch, user):
    from accounts.models import Role

    latest = last_batch(batch.kind)
    return (
        latest is not None and latest.pk == batch.pk
        and (batch.uploaded_by_id == user.pk or user.role == Role.ADMIN)
    )


@transaction.atomic
def undo(batch, *, by):
    """Reverse the last applied batch of its kind: restore the previous values of the rows it
    changed, remove the rows it created, make again the rows it removed. Only the newest batch
    of its kind, by whoever imported it or an admin; raises UndoRefused otherwise."""
    from imports import registry

    importer = registry.get(batch.kind)
    importer.permission.check(by)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.APPLIED or not can_undo(batch, by):
        raise UndoRefused(_("只能撤销本类最近一次导入，且只能由导入人或管理员撤销。"))
    try:
        for entry in reversed(batch.undo):
            model = apps.get_model(entry["model"])
            if entry.get("created"):
                for obj in model._base_manager.filter(pk=entry["pk"]):
                    obj.delete()
            elif entry.get("deleted"):
                model._base_manager.create(**_restored(model, entry["before"]))
            else:
                obj = model._base_manager.filter(pk=entry["pk"]).first()
                if obj is None:
                    continue
                for attname, value in _restored(model, entry["before"]).items():
                    setattr(obj, attname, value)
                obj.save()
    except ProtectedError:
        raise UndoRefused(_("本批导入的记录已被其他数据（如建议、履职记录）引用，无法撤销，请逐条修改。")) from None
    batch.status, batch.undone_by, batch.undone_at = ImportBatch.Status.UNDONE, by, timezone.now()
    batch.undo = []
    batch.save(update_fields=["status", "undone_by", "undone_at", "undo"])
    log(
        AuditEntry.Action.IMPORT, batch,
        object_repr=_("撤销导入%(title)s（批次 %(pk)s）") % {"title": importer.title, "pk": batch.pk},
        changes={"undone": batch.pk, "kind": batch.kind}, actor=by,
    )
    return batch


def _restored(model, values):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {name: fields[name].to_python(value) if value is not None else None for name, value in values.items()}


# --- Helpers for the kinds' checks ---------------------------------------------------------------


def choice_value(choices, text):
    """A choice from its Chinese label ("县", "县级") or its code ("county"); None when neither."""
    text = (text or "").strip()
    for value, label in choices:
        if text in (str(label), f"{label}级", value):
            return value
    return None


YES, NO = {"是", "启用", "有", "y", "yes", "true", "1"}, {"否", "停用", "无", "n", "no", "false", "0"}


def parse_bool(text):
    """"是" / "否" (and their usual spellings) -> True / False; None when it is neither."""
    text = (text or "").strip().lower()
    return True if text in YES else False if text in NO else None


def snapshot(instance, fields):
    """Before changing a row: {name: (value, as shown)} of `fields` (a foreign key's id)."""
    return {name: (getattr(instance, instance._meta.get_field(name).attname), shown(instance, name)) for name in fields}


def changes_since(instance, before, header):
    """[Change] for each field of `before` (a snapshot) whose value differs now."""
    result = []
    for name, (value, text) in before.items():
        if getattr(instance, instance._meta.get_field(name).attname) != value:
            result.append(Change(header(name), text, shown(instance, name)))
    return result


def shown(instance, name):
    """A field's value as the preview shows it: a choice's label, a related row's name, a date
    as 2026年11月24日."""
    model_field = instance._meta.get_field(name)
    if model_field.is_relation:
        return str(getattr(instance, name) or "") if getattr(instance, model_field.attname) else ""
    value = getattr(instance, name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value or ""))
    return text_of(value)
