"""What changes points: the year's rules. Points themselves are derived (points.ledger), so a
saved rule takes effect — the year is recomputed — on the next reading. Also the quarterly
group summary (代表小组积分季报), sent once per group and quarter."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import DeputyGroup
from notifications.services import notify
from points import notices
from points.ledger import standings
from points.models import DEFAULT_RULES, Event, GroupSummary, PointRule
from points.permissions import manage_point_rules


def ensure_rules(year):
    """The year's rules as rows (created from the defaults, or from the previous year's rules
    when there are any), so staff can edit every event."""
    existing = set(PointRule.objects.filter(year=year).values_list("event", flat=True))
    missing = [event for event in Event if event not in existing]
    if missing:
        previous = {r.event: r for r in PointRule.objects.filter(year=year - 1)}
        rows = []
        for event in missing:
            if event in previous:
                rule = previous[event]
                rows.append(PointRule(year=year, event=event, points=rule.points,
                                      yearly_cap=rule.yearly_cap, is_active=rule.is_active))
            else:
                points, cap = DEFAULT_RULES[event]
                rows.append(PointRule(year=year, event=event, points=points, yearly_cap=cap))
        PointRule.objects.bulk_create(rows, ignore_conflicts=True)
    return list(PointRule.objects.filter(year=year).order_by("id"))


@transaction.atomic
def save_rule(rule, *, by, points, yearly_cap=None, is_active=True):
    """Change one event's points, cap or whether it counts. The year's points follow at once."""
    manage_point_rules.check(by)
    rule = PointRule.objects.select_for_update().get(pk=rule.pk)
    rule.points, rule.yearly_cap, rule.is_active, rule.updated_by = points, yearly_cap, is_active, by
    rule.full_clean()
    rule.save()
    return rule


# --- Quarterly group summaries -----------------------------------------------------------------


def previous_quarter(today):
    """(year, quarter, last day) of the quarter before the one `today` is in."""
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - timedelta(days=1)
    return end.year, (end.month - 1) // 3 + 1, end


def group_summary_text(group, rows, *, year, quarter, end):
    lines = [
        _("%(group)s %(year)s年第%(q)s季度履职积分（截至%(end)s，共%(n)s名代表）：")
        % {"group": group.name, "year": year, "q": quarter, "end": f"{end.year}年{end.month}月{end.day}日", "n": len(rows)}
    ]
    for position, row in enumerate(rows, start=1):
        lines.append(
            _("%(i)s. %(name)s %(total)s分（全县第%(rank)s名）")
            % {"i": position, "name": row.name, "total": row.total, "rank": row.rank}
        )
    if not rows:
        lines.append(_("本组暂无在任代表。"))
    return "\n".join(lines)


def send_group_summaries(*, today=None):
    """At the start of a quarter, send every deputy group the points of the year up to the end
    of the quarter just ended: in-app to each member with an account (the leader included), by
    e-mail where known. Once per group and quarter (GroupSummary is unique); running again sends
    nothing. Returns the number of groups sent."""
    today = today or timezone.localdate()
    year, quarter, end = previous_quarter(today)
    done = set(GroupSummary.objects.filter(year=year, quarter=quarter).values_list("group_id", flat=True))
    groups = list(
        DeputyGroup.objects.exclude(pk__in=done).select_related("leader", "leader__user").order_by("pk")
    )
    if not groups:
        return 0
    table = standings(year, until=end, today=min(today, end + timedelta(days=1)))
    members = {}
    from deputies.models import Deputy

    for deputy in Deputy.objects.active().filter(group__in=groups, user__isnull=False).select_related("user"):
        members.setdefault(deputy.group_id, []).append(deputy.user)
    sent = 0
    for group in groups:
        rows = table.filter(group_id=group.pk)
        body = group_summary_text(group, rows, year=year, quarter=quarter, end=end)
        recipients = {user.pk: user for user in members.get(group.pk, [])}
        if group.leader_id and group.leader.user_id:
            recipients.setdefault(group.leader.user_id, group.leader.user)
        with transaction.atomic():
            summary, created = GroupSummary.objects.get_or_create(
                group=group, year=year, quarter=quarter, defaults={"body": body, "recipients": len(recipients)}
            )
            if not created:
                continue
            for user in recipients.values():
                notify(
                    user,
                    key=f"points-group-summary:{group.pk}:{year}Q{quarter}:{user.pk}",
                    kind=notices.GROUP_SUMMARY,
                    params={"group": group.name, "year": year, "quarter": quarter, "summary": body},
                    url=f"/points/groups/{group.pk}/?year={year}",
                )
        sent += 1
    return sent
