"""The suggestions app's message kinds (notifications.kinds), through 提 → 交 → 办 → 督 → 评."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import DATE, INT, Param, kind

S = Param("suggestion", _("建议"), example="第12号《关于修缮村道的建议》")
NOTE = Param("note", _("说明"), example="")


def _kind(code, label, title, body="%(note)s", *, params=None, push=False):
    return kind(code, label, params=params if params is not None else [S, NOTE], title=title, body=body, push=push)


COSIGN_INVITED = kind(
    "suggestion_cosign_invited", _("邀请附议"),
    params=[Param("lead", _("领衔代表"), example="张三丽"), Param("title", _("建议标题"), example="关于修缮村道的建议")],
    title=_("%(lead)s邀请您附议建议"),
    body=_("《%(title)s》，请确认是否附议。"),
)
COSIGN_CONFIRMED = kind(
    "suggestion_cosign_confirmed", _("已确认附议"),
    params=[Param("name", _("附议代表"), example="李秀英"), Param("title", _("建议标题"), example="关于修缮村道的建议")],
    title=_("%(name)s已确认附议"), body=_("%(title)s"),
)
COSIGN_DECLINED = kind(
    "suggestion_cosign_declined", _("谢绝附议"),
    params=[Param("name", _("附议代表"), example="李秀英"), Param("title", _("建议标题"), example="关于修缮村道的建议")],
    title=_("%(name)s谢绝附议"), body=_("%(title)s"),
)
SUBMITTED = _kind("suggestion_submitted", _("新的代表建议待审查"), _("新的代表建议待审查：%(suggestion)s"),
                  params=[S, Param("lead", _("领衔代表"), example="张三丽")], body=_("%(lead)s"))
WITHDRAWN = _kind("suggestion_withdrawn", _("代表撤回建议"), _("代表撤回了建议：%(suggestion)s"))
ACCEPTED = _kind("suggestion_accepted", _("建议已立案"), _("您的建议已立案：%(suggestion)s"))
CONVERTED = _kind("suggestion_converted", _("建议转为参阅件"), _("您的建议已转为参阅件：%(suggestion)s"))
MERGED = _kind("suggestion_merged", _("建议已并案"), _("您的建议已并案办理：%(suggestion)s"))
DEADLINE = Param("deadline", _("答复期限"), DATE)
ASSIGNED_LEAD = _kind("suggestion_assigned_lead", _("交办建议（主办）"), _("交办建议（主办）：%(suggestion)s"),
                      params=[S, DEADLINE], body=_("请于%(deadline)s前答复"), push=True)
ASSIGNED_CO = _kind("suggestion_assigned_co", _("交办建议（协办）"), _("交办建议（协办）：%(suggestion)s"),
                    params=[S, Param("lead_unit", _("主办单位"), example="县交通运输局")],
                    body=_("请向主办单位%(lead_unit)s报送协办意见。"), push=True)
ASSIGNED = _kind("suggestion_assigned", _("建议已交办"), _("您的建议已交办：%(suggestion)s"),
                 params=[S, Param("units", _("承办单位"), example="主办：县交通运输局")], body=_("%(units)s"))
CO_INPUT = _kind("suggestion_co_input", _("协办意见"), _("%(unit)s报送了协办意见：%(suggestion)s"),
                 params=[S, Param("unit", _("协办单位"), example="县财政局"), NOTE])
EXTENSION_REQUESTED = _kind("suggestion_extension_requested", _("延期申请待审批"), _("延期申请待审批：%(suggestion)s"))
EXTENSION_GRANTED = _kind("suggestion_extension_granted", _("延期申请已同意"),
                          _("延期申请已同意，答复期限延至%(deadline)s：%(suggestion)s"), params=[S, DEADLINE, NOTE])
EXTENSION_REFUSED = _kind("suggestion_extension_refused", _("延期申请未获同意"),
                          _("延期申请未获同意，答复期限仍为%(deadline)s：%(suggestion)s"), params=[S, DEADLINE, NOTE])
REPLIED = _kind("suggestion_replied", _("答复待测评"), _("承办单位已答复您的建议，请进行满意度测评：%(suggestion)s"),
                push=True)
SUPERVISED = _kind("suggestion_supervised", _("列为重点督办"), _("建议列为重点督办，请每月报送办理进展：%(suggestion)s"),
                   params=[S, Param("supervisor", _("督办领导"), example="王主任")], body=_("%(supervisor)s"))
REHANDLE = _kind("suggestion_rehandle", _("重新办理"), _("代表对答复不满意，请重新办理：%(suggestion)s"),
                 params=[S, DEADLINE, NOTE], body=_("请于%(deadline)s前重新答复。%(note)s"), push=True)
REHANDLE_STAFF = _kind("suggestion_rehandle_staff", _("转重新办理"), _("代表对答复不满意，已转重新办理：%(suggestion)s"))
HEARING_NEEDED = _kind("suggestion_hearing_needed", _("待组织听证评议"),
                       _("重新办理后代表仍不满意，请组织听证或评议：%(suggestion)s"))
CLOSED = _kind("suggestion_closed", _("建议已办结"), _("您的建议已办结：%(suggestion)s"))
HEARING_CONCLUDED = _kind("suggestion_hearing_concluded", _("听证评议结论"), _("%(hearing)s结论：%(suggestion)s"),
                          params=[S, Param("hearing", _("形式"), example="公开听证"), NOTE])
OVERDUE = _kind("suggestion_overdue", _("建议逾期未答复"), _("建议已逾期未答复：%(suggestion)s"),
                params=[S, DEADLINE], body=_("答复期限%(deadline)s已过，尚未答复。"), push=True)
OVERDUE_STAFF = _kind("suggestion_overdue_staff", _("建议逾期（工作人员）"), _("建议已逾期未答复：%(suggestion)s"),
                      params=[S, DEADLINE], body=_("答复期限%(deadline)s已过，尚未答复。"))
DAYS = Param("days", _("剩余天数"), INT)
DUE = _kind("suggestion_due", _("答复期限提醒"), _("建议答复期限还有%(days)s天：%(suggestion)s"),
            params=[S, DAYS, DEADLINE], body=_("答复期限：%(deadline)s"))
# The last reminder before the deadline also goes by SMS and WeChat.
DUE_SOON = _kind("suggestion_due_soon", _("答复期限临近"), _("建议答复期限还有%(days)s天：%(suggestion)s"),
                 params=[S, DAYS, DEADLINE], body=_("答复期限：%(deadline)s"), push=True)
DUE_TODAY = _kind("suggestion_due_today", _("答复今天到期"), _("建议今天到期，请尽快答复：%(suggestion)s"),
                  params=[S, DEADLINE], body=_("答复期限：%(deadline)s"), push=True)
PROGRESS_DUE = _kind("suggestion_progress_due", _("报送督办进展"),
                     _("请报送重点督办建议%(month)s月办理进展：%(suggestion)s"),
                     params=[S, Param("month", _("月份"), INT), Param("supervisor", _("督办领导"), example="王主任")],
                     body=_("督办领导：%(supervisor)s"))
# 转办: to the staff of the congress that receives it.
TRANSFERRED = kind(
    "suggestion_transferred", _("转办来的代表建议"),
    params=[S, Param("sender", _("转办的人大"), example="青山镇人民代表大会"),
            Param("reason", _("转办理由"), example="涉及县级职权")],
    title=_("%(sender)s转办来一件代表建议"),
    body=_("%(suggestion)s。转办理由：%(reason)s"),
)
