from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required
from divisions.scope import county_path, ranking_path, scope_of
from audit.models import AuditEntry
from audit.registry import log
from core.excel import Column, export_response
from core.http import query_without_page
from points import services
from points.dossier import build_dossier, dossier_docx
from points.forms import PointRuleForm, StandingsFilterForm, YearForm
from points.ledger import ledger, standings
from points.models import Event
from points.permissions import manage_point_rules, view_point_rankings, view_point_rules, view_points
from points.selectors import led_groups, own_deputy, visible_deputies, visible_groups

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filtered_rows(request):
    form = StandingsFilterForm(request.GET or None, user=request.user)
    year = form.selected_year()
    table = standings(year, under=ranking_path(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    township, group = data.get("township"), data.get("group")
    scope = scope_of(request.user)
    rows = table.filter(township_ids=None if scope.is_whole else scope.region_ids,
                        township_id=township.pk if township else None, group_id=group.pk if group else None)
    search = (data.get("search") or "").strip()
    if search:
        keys = set(
            visible_deputies(request.user).search(search).values_list("pk", flat=True)
        )
        rows = [r for r in rows if r.deputy_id in keys]
    return form, table, rows


@role_required(view_points)
def home(request):
    """Deputies go to their own points; staff to the ranking."""
    if request.user.role == Role.DEPUTY:
        deputy = own_deputy(request.user)
        if deputy is None:
            raise Http404(_("您的账号没有关联代表信息。"))
        return redirect(f"/points/deputies/{deputy.pk}/?{request.GET.urlencode()}")
    return redirect(f"/points/ranking/?{request.GET.urlencode()}")


@role_required(view_point_rankings)
def ranking(request):
    form, table, rows = _filtered_rows(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    with_cells(page.object_list, table.rules)
    return render(request, "points/ranking.html", {
        "form": form, "table": table, "page_obj": page, "rows": page.object_list, "count": len(rows),
        "query": query_without_page(request), "events": table.rules,
    })


@role_required(view_point_rankings)
def ranking_export(request):
    _form, table, rows = _filtered_rows(request)
    columns = [Column("rank", _("名次"), 8), Column("name", _("姓名"), 12), Column("township", _("乡镇"), 14),
               Column("group", _("代表小组"), 20)]
    columns += [Column(rule.event, str(rule.label), 12) for rule in table.rules]
    columns.append(Column("total", _("总分"), 10))
    log(AuditEntry.Action.EXPORT, object_repr=_("导出履职积分排名"), changes={"filters": request.GET.dict()})
    data = ([r.rank, r.name, r.township, r.group] + [r.by_event.get(rule.event, 0) for rule in table.rules] + [r.total]
            for r in rows)
    return export_response(f"履职积分-{table.year}.xlsx", _("履职积分"), columns, data)


def with_cells(rows, rules):
    """Each row's points in the rules' order, for the table columns."""
    for row in rows:
        row.cells = [row.by_event.get(rule.event, 0) for rule in rules]
    return rows


def _visible_deputy(request, pk):
    return get_object_or_404(visible_deputies(request.user).select_related("township", "group"), pk=pk)


@role_required(view_points)
def deputy_points(request, pk):
    """A deputy's points, rank and every point's record (the deputy, their group leader, staff)."""
    deputy = _visible_deputy(request, pk)
    year = YearForm(request.GET or None).selected_year()
    table = standings(year, under=county_path(deputy.township))
    entries = ledger(deputy, year, rules=table.rules)
    is_self = deputy.user_id == request.user.pk
    return render(request, "points/deputy.html", {
        "deputy": deputy, "year": year, "standing": table.of(deputy.pk), "entries": entries,
        "total": sum(e.points for e in entries), "ranked": len(table.rows), "year_form": YearForm(initial={"year": year}),
        "is_self": is_self, "groups": list(led_groups(request.user)) if is_self else [], "rules": table.rules,
    })


@role_required(view_points)
def group_points(request, pk):
    group = get_object_or_404(visible_groups(request.user).select_related("leader", "township"), pk=pk)
    year = YearForm(request.GET or None).selected_year()
    table = standings(year, under=county_path(group.township))
    rows = with_cells(table.filter(group_id=group.pk), table.rules)
    summaries = group.point_summaries.order_by("-year", "-quarter")[:8]
    return render(request, "points/group.html", {
        "group": group, "year": year, "rows": rows, "year_form": YearForm(initial={"year": year}),
        "summaries": summaries, "rules": table.rules,
    })


@role_required(view_points)
def dossier_page(request, pk):
    deputy = _visible_deputy(request, pk)
    year = YearForm(request.GET or None).selected_year()
    return render(request, "points/dossier.html", {"dossier": build_dossier(deputy, year), "year": year})


@role_required(view_points)
def dossier_download(request, pk):
    deputy = _visible_deputy(request, pk)
    year = YearForm(request.GET or None).selected_year()
    content = dossier_docx(build_dossier(deputy, year))
    log(AuditEntry.Action.EXPORT, deputy, object_repr=_("导出履职档案 %(name)s %(year)s") % {"name": deputy.name, "year": year})
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    filename = f"{deputy.name}-{year}年度履职档案.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@role_required(view_point_rules)
def rules(request):
    if request.method == "POST":
        manage_point_rules.check(request.user)
    year = YearForm(request.GET or None).selected_year()
    rows = services.ensure_rules(year)
    forms = [PointRuleForm(request.POST or None, instance=rule, prefix=rule.event) for rule in rows]
    if not manage_point_rules.has(request.user):
        for form in forms:
            for field in form.fields.values():
                field.disabled = True
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            changed = 0
            for form in forms:
                if form.has_changed():
                    services.save_rule(form.instance, by=request.user, **form.cleaned_data)
                    changed += 1
            messages.success(request, _("已保存 %(n)s 条规则，%(year)s年积分已按新规则重新计算。") % {"n": changed, "year": year})
            return redirect(f"{request.path}?year={year}")
    return render(request, "points/rules.html", {
        "year": year, "forms": forms, "year_form": YearForm(initial={"year": year}),
        "labels": dict(Event.choices),
    }, status=400 if request.method == "POST" else 200)
