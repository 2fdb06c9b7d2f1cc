"""The deputies' Excel columns: one list for the import template, the import and the export."""

from django.utils.translation import gettext_lazy as _

from core.excel import Column
from deputies.models import Deputy, Level

IMPORT_COLUMNS = [
    Column("name", _("姓名"), 10, required=True),
    Column("gender", _("性别"), 6, required=True, choices=[c.label for c in Deputy.Gender]),
    Column("ethnicity", _("民族"), 8, note=_("留空默认为汉族")),
    Column("birth_date", _("出生日期"), 12, note=_("格式：1975-03-08")),
    Column("party", _("政治面貌"), 12),
    Column("level", _("代表层级"), 10, required=True, choices=[c.label for c in Level]),
    Column("term", _("届次"), 8, required=True, note=_("填数字，如第十八届填 18")),
    Column("constituency", _("选区"), 16),
    Column("township", _("所在乡镇"), 12, required=True, note=_("须与系统中的乡镇名称一致")),
    Column("group", _("代表小组"), 18),
    Column("occupation", _("工作单位及职务"), 28),
    Column("sector", _("界别"), 14, choices=[c.label for c in Deputy.Sector]),
    Column("phone", _("手机号"), 14, note=_("11位手机号码")),
    Column("email", _("电子邮箱"), 20),
]

EXPORT_COLUMNS = IMPORT_COLUMNS + [Column("status", _("状态"), 8)]


def export_row(deputy):
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
    ]


INSTRUCTIONS = [
    [_("说明"), _("第一张表每行填写一名代表，带 * 的列必须填写。请勿修改表头。")],
    [_("说明"), _("导入时会逐行检查；只要有一行有误，整个文件都不会导入，请按提示的行号改正后重新上传。")],
]
