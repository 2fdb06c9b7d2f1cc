"""The votes app's message kinds (notifications.kinds). None says anything about a ballot."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import DATE, DATETIME, Param, kind

VOTE = Param("vote", _("票决名称"), example="2026年民生实事项目票决")
PROJECT = Param("project", _("项目名称"), example="城区老旧小区改造")

OPENED = kind(
    "vote_opened", _("票决开始"),
    params=[VOTE, Param("opens_at", _("开始时间"), DATETIME), Param("closes_at", _("截止时间"), DATETIME)],
    title=_("民生实事项目票决已开始"),
    body=_("“%(vote)s”投票时间：%(opens_at)s 至 %(closes_at)s。请登录后在“民生实事票决”中投票。"),
    push=True,
)
CLOSING = kind(
    "vote_closing", _("票决即将截止"),
    params=[VOTE, Param("closes_at", _("截止时间"), DATETIME)],
    title=_("民生实事项目票决即将截止"),
    body=_("“%(vote)s”将于%(closes_at)s截止投票，尚未投票的代表请及时投票。"),
    push=True,
)
PUBLISHED = kind(
    "vote_published", _("票决结果公布"),
    params=[VOTE],
    title=_("民生实事项目票决结果已公布"),
    body=_("“%(vote)s”的票决结果已经公布。"),
)
EVALUATION = kind(
    "vote_evaluation", _("年终测评开始"),
    params=[VOTE],
    title=_("请对民生实事项目进行年终测评"),
    body=_("“%(vote)s”的当选项目年终测评已开始。"),
    push=True,
)
PROJECT_ASSIGNED = kind(
    "vote_project_assigned", _("项目交由单位实施"),
    params=[PROJECT],
    title=_("民生实事项目已交由贵单位实施"),
    body=_("“%(project)s”，请每月报送实施进展。"),
    push=True,
)
FEASIBILITY_REQUESTED = kind(
    "vote_feasibility_requested", _("可行性论证请求"),
    params=[PROJECT, Param("due", _("答复期限"), DATE)],
    title=_("请对民生实事候选项目进行可行性论证"),
    body=_("“%(project)s”，请于%(due)s前答复。"),
)
FEASIBILITY_ANSWERED = kind(
    "vote_feasibility_answered", _("可行性论证已答复"),
    params=[Param("unit", _("单位"), example="县住建局"), PROJECT],
    title=_("%(unit)s已答复可行性论证"),
    body=_("%(project)s"),
)
PROGRESS_DUE = kind(
    "vote_progress_due", _("报送项目进展"),
    params=[PROJECT, Param("month", _("月份"), example="2026年11月")],
    title=_("请报送民生实事项目本月进展"),
    body=_("“%(project)s”本月（%(month)s）的进展尚未报送。"),
)
