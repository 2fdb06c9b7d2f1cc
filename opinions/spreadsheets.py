"""The opinions export's columns (staff see names and numbers in full)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.excel import Column

EXPORT_COLUMNS = [
    Column("tracking_code", _("查询码"), 13),
    Column("created_at", _("提交时间"), 17),
    Column("source", _("来源"), 9),
    Column("township", _("乡镇"), 10),
    Column("station", _("站点"), 22),
    Column("category", _("类别"), 10),
    Column("content", _("意见内容"), 50),
    Column("name", _("姓名"), 8),
    Column("phone", _("手机号"), 13),
    Column("state", _("状态"), 12),
    Column("adopted_by", _("接单代表"), 10),
    Column("unit", _("承办单位"), 18),
    Column("due_at", _("办理时限"), 12),
    Column("overdue", _("是否逾期"), 8),
    Column("reply", _("答复内容"), 50),
    Column("closed_at", _("办结时间"), 17),
    Column("rating", _("群众评价"), 9),
]


def _when(value, fmt="%Y-%m-%d %H:%M"):
    return timezone.localtime(value).strftime(fmt) if value else ""


def export_row(opinion):
    return [
        opinion.tracking_code,
        _when(opinion.created_at),
        opinion.get_source_display(),
        opinion.station.township.name,
        opinion.station.name,
        opinion.category.name,
        opinion.text,
        opinion.person_name,
        opinion.person_phone,
        opinion.get_state_display(),
        opinion.adopted_by.name if opinion.adopted_by_id else "",
        opinion.unit.name if opinion.unit_id else "",
        _when(opinion.due_at, "%Y-%m-%d"),
        _("是") if opinion.is_overdue else _("否"),
        opinion.reply,
        _when(opinion.closed_at),
        opinion.get_rating_display() if opinion.rating else "",
    ]
