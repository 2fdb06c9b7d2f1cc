from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from accounts.permissions import RoleRequiredMixin, role_required
from audit.models import AuditEntry
from audit.registry import log, note_view
from core.caching import rendered_rows, share_count, shared_until_changed
from core.excel import export_response, template_response
from core.http import filter_data, query_without_page
from deputies import services, spreadsheets
from deputies.filters import COUNT_MODELS, FILTER_CHOICE_MODELS, DeputyFilter
from deputies.forms import DeputyForm
from imports import views as import_views
from deputies.models import Deputy
from deputies.permissions import manage_deputies, view_deputies
from divisions.scope import scope_of


def filtered_deputies(request):
    queryset = Deputy.objects.visible_to(request.user).for_list()
    return DeputyFilter(filter_data(request), queryset=queryset, request=request)


def filter_form_html(request, filterset):
    """The roster's filter fields. The empty form (the default view; a city's townships and
    groups are a few hundred options) is shared by everyone with the same scope until a
    township or group changes."""

    def render():
        return render_to_string("_filter_fields.html", {"fields": list(filterset.form)})

    if filterset.is_bound:
        return render()
    return shared_until_changed(
        f"deputies:filter-form:{get_language()}:{scope_of(request.user).key()}", render,
        models=FILTER_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
    )


def table_rows(stamps):
    """The roster's rows for a page of (pk, updated_at) `stamps`, each kept until the deputy is
    saved or their township's or group's name changes (as the suggestion list's and inbox's)."""

    def render(pks):
        template = get_template("deputies/_row.html")
        return {pk: template.render({"deputy": deputy})
                for pk, deputy in Deputy.objects.for_list().in_bulk(pks).items()}

    return rendered_rows(
        [(pk, updated_at.timestamp()) for pk, updated_at in stamps], render,
        key=f"deputies:row:{get_language()}", models=FILTER_CHOICE_MODELS, seconds=settings.LIST_ROW_CACHE_SECONDS,
    )


class DeputyListView(RoleRequiredMixin, ListView):
    permission = view_deputies
    template_name = "deputies/deputy_list.html"
    paginate_by = 30
    context_object_name = "stamps"

    def get_queryset(self):
        """The page is read as (pk, updated_at) only; the rows come from table_rows."""
        self.filterset = filtered_deputies(self.request)
        return self.filterset.qs.values_list("pk", "updated_at")

    def get_paginator(self, queryset, per_page, **kwargs):
        """The unfiltered roster's count is shared by scope until a deputy changes."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not self.filterset.is_bound:
            share_count(paginator, f"deputies:roster-count:{scope_of(self.request.user).key()}",
                        models=COUNT_MODELS, seconds=settings.LIST_ROW_CACHE_SECONDS)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset, query=query_without_page(self.request),
            filters_html=filter_form_html(self.request, self.filterset),
            rows=table_rows(context["object_list"]),
        )
        return context


class DeputyDetailView(RoleRequiredMixin, DetailView):
    permission = view_deputies
    template_name = "deputies/deputy_detail.html"
    context_object_name = "deputy"

    def get_queryset(self):
        return Deputy.objects.visible_to(self.request.user).select_related(
            "township", "group", "user"
        )

    def get_context_data(self, **kwargs):
        if self.object.phone:  # the full number is on the page: one 查阅 entry
            note_view(_("代表"))
        return super().get_context_data(**kwargs)


@role_required(manage_deputies)
def deputy_create(request):
    form = DeputyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        deputy = services.create_deputy(by=request.user, **form.cleaned_data)
        messages.success(request, _("已添加代表 %(name)s。") % {"name": deputy.name})
        return redirect("deputies:detail", pk=deputy.pk)
    return render(request, "deputies/deputy_form.html", {"form": form})


@role_required(manage_deputies)
def deputy_update(request, pk):
    deputy = get_object_or_404(Deputy.objects.visible_to(request.user), pk=pk)
    form = DeputyForm(request.POST or None, instance=deputy, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_deputy(Deputy.objects.get(pk=pk), by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("deputies:detail", pk=pk)
    return render(request, "deputies/deputy_form.html", {"form": form, "deputy": deputy})


@role_required(manage_deputies)
def deputy_import(request):
    """The roster import: upload → preview → confirm (`imports`, kind "deputies")."""
    return import_views.upload(request, kind="deputies")


@role_required(manage_deputies)
def import_template(request):
    return template_response(
        "代表导入模板.xlsx", _("代表名单"), spreadsheets.IMPORT_COLUMNS, spreadsheets.INSTRUCTIONS
    )


@role_required(view_deputies)
def deputy_export(request):
    deputies = filtered_deputies(request).qs
    log(AuditEntry.Action.EXPORT, object_repr=_("导出代表名单"), changes={"filters": request.GET.dict()})
    filename = f"代表名单-{timezone.localdate():%Y%m%d}.xlsx"
    rows = (spreadsheets.export_row(d) for d in deputies.prefetch_related("seats").iterator(chunk_size=500))
    return export_response(filename, _("代表名单"), spreadsheets.EXPORT_COLUMNS, rows)


# --- Session attendance (出席代表大会) ----------------------------------------------------------


@role_required(view_deputies)
def session_list(request):
    from django.db.models import Count, Q

    from deputies.models import CongressSession

    sessions = CongressSession.objects.select_related("congress__region").annotate(
        present=Count("attendance", filter=Q(attendance__status="present")),
        excused=Count("attendance", filter=Q(attendance__status="excused")),
        absent=Count("attendance", filter=Q(attendance__status="absent")),
    )
    return render(request, "deputies/session_list.html", {"sessions": sessions})


@role_required(manage_deputies)
def session_attendance(request, pk):
    """One page per session: every expected deputy with 出席 / 请假 / 缺席 and a note."""
    from deputies.models import CongressSession, SessionAttendance

    session = get_object_or_404(CongressSession.objects.select_related("congress__region"), pk=pk)
    deputies = list(
        services.session_deputies(session).visible_to(request.user).select_related("township")
    )
    recorded = {a.deputy_id: a for a in SessionAttendance.objects.filter(session=session)}
    choices = SessionAttendance.Status.choices
    errors = []
    if request.method == "POST":
        statuses, notes = {}, {}
        for deputy in deputies:
            value = request.POST.get(f"status-{deputy.pk}", "")
            if value:
                statuses[deputy.pk] = value
                notes[deputy.pk] = request.POST.get(f"note-{deputy.pk}", "")
        if not statuses:
            errors.append(_("请至少为一名代表选择出席情况。"))
        else:
            try:
                services.record_session_attendance(session, by=request.user, statuses=statuses, notes=notes)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("已保存 %(n)s 名代表的出席情况。") % {"n": len(statuses)})
                return redirect("deputies:session_attendance", pk=pk)
    rows = [
        {
            "deputy": deputy,
            "status": request.POST.get(f"status-{deputy.pk}") if errors else getattr(recorded.get(deputy.pk), "status", ""),
            "note": getattr(recorded.get(deputy.pk), "note", ""),
        }
        for deputy in deputies
    ]
    counts = {value: sum(1 for a in recorded.values() if a.status == value) for value, _label in choices}
    return render(
        request,
        "deputies/session_attendance.html",
        {"session": session, "rows": rows, "choices": choices, "errors": errors, "counts": counts},
        status=400 if errors else 200,
    )
