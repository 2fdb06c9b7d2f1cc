"""Upload → preview → confirm, and undo, for every kind of import (the kinds live in their apps;
`imports.registry` finds them by the URL's `kind`)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.excel import ExcelImportError, template_response
from imports import engine, registry
from imports.forms import UploadForm
from imports.models import ImportBatch


def signed_in(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _batch(request, pk):
    """A batch the user may act on: one of a kind they may import, uploaded by them (any, for an
    admin); 404 otherwise."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    importer = registry.get(batch.kind)
    importer.permission.check(request.user)
    if batch.uploaded_by_id != request.user.pk and request.user.role != Role.ADMIN:
        raise Http404
    return batch, importer


@signed_in
def upload(request, kind):
    importer = registry.get(kind)
    importer.permission.check(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = engine.read(importer, form.cleaned_data["file"])
        except ExcelImportError as exc:
            errors = exc.errors
        else:
            checked = engine.preview(importer, rows, by=request.user)
            if checked.errors:
                # Nothing to confirm: the rows and their errors, and the form to upload again.
                return render(request, "imports/preview.html", {
                    "importer": importer, "batch": None, "preview": checked, "form": UploadForm(),
                    "shown": [r for r in checked.results if r.action != engine.UNCHANGED],
                    "file_name": form.cleaned_data["file"].name,
                }, status=400)
            batch = engine.stage(importer, rows, file_name=form.cleaned_data["file"].name, by=request.user)
            return redirect("imports:preview", pk=batch.pk)
    batches = list(engine.batches_of(kind, request.user)[:10])
    latest = engine.last_batch(kind)
    return render(request, "imports/upload.html", {
        "importer": importer, "form": form, "errors": errors, "batches": batches,
        "others": [other for other in registry.kinds() if other.kind != kind and other.permission.has(request.user)],
        "undoable": latest.pk if latest and engine.can_undo(latest, request.user) else None,
        "template_url": reverse(importer.template_url) if getattr(importer, "template_url", "") else
        reverse("imports:template", args=[kind]),
    }, status=400 if errors or form.errors else 200)


@signed_in
def preview(request, pk):
    """GET: each row as 新增 / 更新 / 不变 / 错误; POST: confirm (all rows or none)."""
    batch, importer = _batch(request, pk)
    if batch.status != ImportBatch.Status.PENDING:
        return redirect("imports:upload", kind=batch.kind)
    if request.method == "POST":
        try:
            applied = engine.confirm(batch, by=request.user)
        except engine.ImportRefused as exc:
            checked = exc.preview
            messages.error(request, _("数据已有变化，发现错误，未导入任何数据，请改正后重新上传。"))
        else:
            messages.success(request, _("导入成功：新增 %(created)s，更新 %(updated)s，不变 %(unchanged)s。") % {
                "created": applied.created, "updated": applied.updated, "unchanged": applied.unchanged})
            return redirect("imports:upload", kind=batch.kind)
    else:
        checked = engine.preview(importer, batch.rows, by=request.user)
    shown = [r for r in checked.results if r.action != engine.UNCHANGED]
    return render(request, "imports/preview.html", {
        "importer": importer, "batch": batch, "preview": checked, "shown": shown, "file_name": batch.file_name,
    }, status=400 if request.method == "POST" else 200)


@signed_in
@require_POST
def undo(request, pk):
    batch, importer = _batch(request, pk)
    try:
        engine.undo(batch, by=request.user)
    except engine.UndoRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销该批导入，数据已恢复到导入之前。"))
    return redirect("imports:upload", kind=batch.kind)


@signed_in
def template(request, kind):
    importer = registry.get(kind)
    importer.permission.check(request.user)
    return template_response(f"{importer.title}导入模板.xlsx", importer.title, importer.columns,
                             importer.instructions)
