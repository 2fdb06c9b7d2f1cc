"""Excel exports: the suggestion list, and the figures (one sheet per table of the dashboard)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.excel import Column, workbook_response, write_sheet
from suggestions.selectors import COUNT_LABELS, RATE_LABELS

LIST_COLUMNS = [
    Column("code", gettext_lazy("编号"), 16),
    Column("session", gettext_lazy("提出时间"), 30),
    Column("kind", gettext_lazy("类型"), 14),
    Column("title", gettext_lazy("标题"), 40),
    Column("category", gettext_lazy("类别"), 12),
    Column("lead_deputy", gettext_lazy("领衔代表"), 10),
    Column("cosigners", gettext_lazy("附议代表"), 24),
    Column("township", gettext_lazy("乡镇"), 10),
    Column("state", gettext_lazy("状态"), 10),
    Column("lead_unit", gettext_lazy("主办单位"), 20),
    Column("co_units", gettext_lazy("协办单位"), 28),
    Column("assigned", gettext_lazy("交办日期"), 12),
    Column("deadline", gettext_lazy("答复期限"), 12),
    Column("replied", gettext_lazy("答复日期"), 12),
    Column("reply_class", gettext_lazy("答复类别"), 10),
    Column("rating", gettext_lazy("测评结果"), 10),
    Column("in_time", gettext_lazy("按时答复"), 10),
    Column("key", gettext_lazy("重点督办"), 16),
]


def _day(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.isoformat()


def list_row(suggestion):
    """One row; expects cosigners and assignments prefetched (see views.suggestion_export)."""
    confirmed = [c.deputy.name for c in suggestion.cosigners.all() if c.confirmed_at]
    co_units = [a.unit.name for a in suggestion.assignments.all() if a.role == "co"]
    if suggestion.first_replied_at is None:
        in_time = ""
    else:
        in_time = _("否") if suggestion.replied_late else _("是")
    return [
        suggestion.code,
        suggestion.session.name if suggestion.session_id else str(suggestion.period_display),
        suggestion.get_kind_display(),
        suggestion.title,
        suggestion.category.name,
        suggestion.lead_deputy.name,
        "、".join(confirmed),
        suggestion.township.name,
        suggestion.get_state_display(),
        suggestion.lead_unit.name if suggestion.lead_unit_id else "",
        "、".join(co_units),
        _day(suggestion.assigned_at),
        _day(suggestion.deadline),
        _day(suggestion.replied_at),
        suggestion.reply_class,
        suggestion.get_rating_display(),
        in_time,
        suggestion.supervisor if suggestion.is_key else "",
    ]


def _rate_text(value):
    return "" if value is None else f"{value:.2f}%"


BREAKDOWN_KEYS = ["total", "assigned", "replied", "completion_rate", "evaluated", "satisfaction_rate",
                  "class_a", "success_rate", "in_time_rate", "overdue"]


def _breakdown_columns(first):
    labels = {**COUNT_LABELS, **RATE_LABELS}
    return [Column("name", first, 22)] + [Column(key, labels[key], 12) for key in BREAKDOWN_KEYS]


def _breakdown_rows(rows):
    for row in rows:
        yield [row["name"]] + [
            _rate_text(row[key]) if key.endswith("_rate") else row[key] for key in BREAKDOWN_KEYS
        ]


def figures_workbook_response(figures, filename, title):
    """The dashboard as a workbook: 概况, by state, by unit, by category, by township, overdue."""
    wb = Workbook(write_only=True)
    totals = figures.totals
    summary = [[title, ""]]
    summary += [[str(COUNT_LABELS[key]), totals[key]] for key in COUNT_LABELS]
    summary += [[str(RATE_LABELS[key]), _rate_text(totals[key])] for key in RATE_LABELS]
    write_sheet(wb, _("概况"), [Column("item", _("项目"), 20), Column("value", _("数值"), 40)], summary)
    write_sheet(
        wb, _("按状态"), [Column("state", _("状态"), 16), Column("count", _("件数"), 10)],
        ([row["name"], row["count"]] for row in figures.by_state),
    )
    write_sheet(wb, _("按主办单位"), _breakdown_columns(_("主办单位")), _breakdown_rows(figures.by_unit))
    write_sheet(wb, _("按类别"), _breakdown_columns(_("类别")), _breakdown_rows(figures.by_category))
    write_sheet(wb, _("按乡镇"), _breakdown_columns(_("乡镇")), _breakdown_rows(figures.by_township))
    write_sheet(
        wb, _("逾期清单"),
        [Column("code", _("编号"), 16), Column("title", _("标题"), 40), Column("unit", _("主办单位"), 20),
         Column("deadline", _("答复期限"), 12), Column("days", _("逾期天数"), 10)],
        (
            [s.code, s.title, s.lead_unit.name if s.lead_unit_id else "", _day(s.deadline),
             (figures.filters["today"] - s.deadline).days]
            for s in figures.overdue
        ),
    )
    return workbook_response(wb, filename)
