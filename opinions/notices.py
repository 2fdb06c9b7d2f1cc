"""The opinions app's message kinds (notifications.kinds): 点单 → 定单 → 接单 → 督单, and the
receipts to the person who raised the opinion."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import INT, Param, kind

STATION = Param("station", _("站点"), example="城关镇人大代表之家")
DAYS = Param("days", _("工作日"), INT, example=3)
UNIT = Param("unit", _("承办单位"), example="县交通运输局")
CODE = Param("code", _("查询码"), example="7K3M9QX2PA")

NEW = kind(
    "opinion_new", _("新的群众意见待接单"),
    params=[STATION, Param("category", _("类别"), example="交通出行"), DAYS],
    title=_("%(station)s收到一条群众意见，请接单"),
    body=_("类别：%(category)s。请在%(days)s个工作日内接单。"),
    push="OPINION_SMS",
)
REFERRED = kind(
    "opinion_referred", _("转交办理的群众意见"),
    params=[DAYS],
    title=_("收到一条转交办理的群众意见"),
    body=_("请接单或说明理由退回，并在%(days)s个工作日内答复。"),
    push="OPINION_SMS",
)
RETURNED = kind(
    "opinion_returned", _("承办单位退回意见"),
    params=[UNIT, Param("reason", _("退回理由"), example="不属于本单位职责")],
    title=_("%(unit)s退回了一条群众意见"),
    body=_("退回理由：%(reason)s"),
)
UNIT_REPLIED = kind(
    "opinion_unit_replied", _("承办单位已答复意见"),
    params=[UNIT, Param("reply", _("答复"), example="已安排维修。")],
    title=_("%(unit)s已答复您接单的群众意见"),
    body=_("%(reply)s"),
)
OVERDUE = kind(
    "opinion_overdue", _("群众意见逾期督办"),
    params=[STATION, Param("what", _("逾期情况"), example="超过3个工作日无代表接单")],
    title=_("督办：一条群众意见已逾期"),
    body=_("%(station)s的意见%(what)s，请尽快办理。"),
    push="OPINION_SMS",
)
OVERDUE_SUMMARY = kind(
    "opinion_overdue_summary", _("群众意见逾期汇总"),
    params=[Param("count", _("条数"), INT, example=2)],
    title=_("督单：%(count)s条群众意见新逾期"),
    body=_("请在群众意见列表中筛选“已逾期”查看并督办。"),
)
# To the person who raised the opinion and left a number (no account): SMS only.
RECEIPT = kind(
    "opinion_receipt", _("意见受理回执"),
    params=[STATION, CODE],
    title=_("您在%(station)s提交的意见已收到，查询码%(code)s"),
    body=_("可凭查询码查看办理进展。"),
    push="OPINION_RECEIPT_SMS",
)
ANSWERED = kind(
    "opinion_answered", _("意见办结通知"),
    params=[STATION, CODE],
    title=_("您在%(station)s提交的意见已答复，查询码%(code)s"),
    body=_("可凭查询码查看答复并评价。"),
    push="OPINION_RECEIPT_SMS",
)
# 转办: to the staff of the congress that receives it.
TRANSFERRED = kind(
    "opinion_transferred", _("转办来的群众意见"),
    params=[Param("sender", _("转办的人大"), example="青山镇人民代表大会"), STATION,
            Param("reason", _("转办理由"), example="涉及跨乡镇道路，需县级协调")],
    title=_("%(sender)s转办来一条群众意见"),
    body=_("站点：%(station)s。转办理由：%(reason)s"),
)
