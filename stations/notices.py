"""The stations app's message kinds (notifications.kinds): duty and activities."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import DATE, DATETIME, Param, kind

DATE_P = Param("date", _("值班日期"), DATE)
STATION = Param("station", _("站点"), example="城关镇人大代表之家")

DUTY_REMINDER = kind(
    "duty_reminder", _("值班提醒"),
    params=[DATE_P, STATION, Param("time", _("时间"), example="09:00–17:00"),
            Param("address", _("地址"), example="城关镇人民路1号")],
    title=_("值班提醒：明天（%(date)s）到%(station)s值班"),
    body=_("%(time)s，地址：%(address)s。如不能到岗，请在“我的值班”中申请调班。"),
    push="DUTY_REMINDER_SMS",
)
DUTY_SWAP_OUT = kind(
    "duty_swap_out", _("值班已调换"),
    params=[DATE_P, STATION, Param("name", _("替班代表"), example="李秀英"), Param("reason", _("说明"), example="")],
    title=_("值班已调换：%(date)s %(station)s"),
    body=_("您%(date)s在%(station)s的值班已由 %(name)s 代替。%(reason)s"),
    push=True,
)
DUTY_SWAP_IN = kind(
    "duty_swap_in", _("新的值班安排"),
    params=[DATE_P, STATION, Param("name", _("原值班代表"), example="王建国")],
    title=_("新的值班安排：%(date)s %(station)s"),
    body=_("您已被安排在%(date)s到%(station)s值班（代替 %(name)s）。"),
    push=True,
)
DUTY_SWAP_REQUESTED = kind(
    "duty_swap_requested", _("调班申请"),
    params=[Param("name", _("申请代表"), example="王建国"), DATE_P, STATION, Param("reason", _("理由"), example="外出开会")],
    title=_("调班申请：%(name)s %(date)s %(station)s"),
    body=_("%(reason)s"),
)
DUTY_SWAP_APPROVED = kind(
    "duty_swap_approved", _("调班申请已同意"),
    params=[DATE_P, STATION, Param("note", _("说明"), example="")],
    title=_("调班申请已同意：%(date)s %(station)s"),
    body=_("%(note)s"),
)
DUTY_SWAP_REJECTED = kind(
    "duty_swap_rejected", _("调班申请未同意"),
    params=[DATE_P, STATION, Param("note", _("说明"), example="当天无人替班")],
    title=_("调班申请未同意：%(date)s %(station)s"),
    body=_("%(note)s"),
)

ACTIVITY = Param("activity", _("活动名称"), example="农村公路建设专题调研")
STARTS = Param("starts_at", _("开始时间"), DATETIME)

ACTIVITY_REMINDER = kind(
    "activity_reminder", _("活动提醒"),
    params=[ACTIVITY, STARTS, Param("place", _("地点"), example="县人大常委会三楼会议室")],
    title=_("活动提醒：%(activity)s"),
    body=_("您报名的活动将于%(starts_at)s开始，地点：%(place)s。"),
    push=True,
)
# Urgent: deputies may set out early in the morning; a cancellation cannot wait for 07:00.
ACTIVITY_CANCELLED = kind(
    "activity_cancelled", _("活动取消"),
    params=[ACTIVITY, STARTS, Param("reason", _("原因"), example="因天气原因")],
    title=_("活动取消：%(activity)s"),
    body=_("%(reason)s"),
    push=True,
    urgent=True,
)
