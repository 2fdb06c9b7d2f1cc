"""The points app's message kinds (notifications.kinds)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import INT, Param, kind

GROUP_SUMMARY = kind(
    "points_group_summary", _("代表小组季度履职积分"),
    params=[Param("group", _("代表小组"), example="城关镇代表小组"), Param("year", _("年度"), INT, example=2026),
            Param("quarter", _("季度"), INT, example=3), Param("summary", _("积分摘要"), example="")],
    title=_("%(group)s %(year)s年第%(quarter)s季度履职积分"),
    body=_("%(summary)s"),
)
