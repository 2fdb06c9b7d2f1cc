"""The deputies' Excel columns: one list for the import template, the import and the export,
so that an exported roster imports back unchanged."""

from django.utils.translation import gettext_lazy as _

from core.excel import Column
from deputies.models import Deputy, Level, Seat

# Leaving the congress (离任) is a status with a reason and a date, never a deletion.
LEAVING_REASONS = [c.label for c in Seat.EndReason]

COLUMNS = [
    Column("name", _("姓名"), 10, required=True),
    Column("gender", _("性别"), 6, required=True, choices=[c.label for c in Deputy.Gender]),
    Column("ethnicity", _("民族"), 8, note=_("留空默认为汉族")),
    Column("birth_date", _("出生日期"), 12, note=_("格式：1975-03-08；须年满18周岁")),
    Column("party", _("政治面貌"), 12),
    Column("level", _("代表层级"), 10, required=True, choices=[c.label for c in Level]),
    Column("term", _("届次"), 8, required=True, note=_("填数字，如第十八届填 18")),
    Column("constituency", _("选区"), 16),
    Column("township", _("所在乡镇"), 12, required=True, note=_("须与系统中的乡镇名称一致")),
    Column("group", _("代表小组"), 18, note=_("须是本乡镇或全县（区）的代表小组")),
    Column("occupation", _("工作单位及职务"), 28),
    Column("sector", _("界别"), 14, choices=[c.label for c in Deputy.Sector]),
    Column("phone", _("手机号"), 14, note=_("11位手机号码；导入时按手机号找到已有代表并更新")),
    Column("email", _("电子邮箱"), 20),
    Column("status", _("状态"), 8, choices=[c.label for c in Deputy.Status], note=_("留空为在任")),
    Column("end_reason", _("离任原因"), 10, choices=LEAVING_REASONS,
           note=_("届满、辞职、罢免、调离等；填写后代表状态为终止，不会删除")),
    Column("ended_on", _("离任日期"), 12, note=_("格式：2026-06-30；不能晚于今天")),
]

# The 身份证号 column is read when a sheet has one (sheets from the election office do): it is
# checked and must agree with the birth date, and no two rows may share it. It is not stored.
IMPORT_COLUMNS = COLUMNS + [
    Column("id_number", _("身份证号"), 20, note=_("可选：用于核对出生日期和匹配代表；只保存加密摘要和后四位")),
]

EXPORT_COLUMNS = COLUMNS


def primary_seat(deputy):
    """The deputy's own seat (of their level), from prefetched seats when there are."""
    return next((s for s in deputy.seats.all() if s.level == deputy.level), None)


def export_row(deputy):
    seat = primary_seat(deputy) if deputy.status != Deputy.Status.ACTIVE else None
    return [
        deputy.name,
        deputy.get_gender_display(),
        deputy.ethnicity,
        deputy.birth_date.isoformat() if deputy.birth_date else "",
        deputy.party,
        deputy.get_level_display(),
        deputy.term,
        deputy.constituency,
        deputy.township.name,
        deputy.group.name if deputy.group else "",
        deputy.occupation,
        deputy.get_sector_display(),
        deputy.phone,
        deputy.email,
        deputy.get_status_display(),
        seat.get_end_reason_display() if seat and seat.end_reason else "",
        seat.ended_on.isoformat() if seat and seat.ended_on else "",
    ]


INSTRUCTIONS = [
    [_("说明"), _("第一张表每行填写一名代表，带 * 的列必须填写。请勿修改表头。")],
    [_("说明"), _("按手机号找到系统中已有的代表并更新其信息，找不到的新增；没有手机号的按姓名、乡镇和出生日期查找。")],
    [_("说明"), _("上传后先预览每一行是新增、更新、不变还是有误，确认后才写入；只要有一行有误，整个文件都不会导入。")],
    [_("说明"), _("代表离任请填写状态“终止”、离任原因和离任日期，不要删除该行。")],
]
