"""Demo performance points and awards: the year's point rules, attendance at this year's and
last year's county congress sessions (most present, a few excused, a few absent), group leaders
(the demo deputy leads 城关镇代表小组), and an award or two from the shortlists — so a newcomer
sees real points, ranks, a dashboard and the “四最” page. Running it again adds nothing."""

import random

from django.utils import timezone

from deputies.models import CongressSession, Deputy, DeputyGroup, SessionAttendance
from deputies.services import session_deputies
from divisions.models import Congress
from points import services as points_services
from reports.awards import best_deputies, best_stations, best_suggestions
from reports.models import Award, AwardKind


def seed_rules(year):
    for y in (year - 1, year):
        points_services.ensure_rules(y)


def seed_attendance(year):
    rng = random.Random(77)
    for session in CongressSession.objects.filter(congress=Congress.objects.default(), start_date__year__in=[year - 1, year]):
        if SessionAttendance.objects.filter(session=session).exists():
            continue
        deputies = session_deputies(session).order_by("pk")
        rows = []
        for deputy in deputies:
            roll = rng.random()
            status = "present" if roll < 0.9 else ("excused" if roll < 0.97 else "absent")
            note = "因公请假" if status == "excused" else ""
            rows.append(SessionAttendance(session=session, deputy=deputy, status=status, note=note))
        SessionAttendance.objects.bulk_create(rows)


def seed_group_leaders():
    demo_deputy = Deputy.objects.filter(user__username="deputy").select_related("group").first()
    for group in DeputyGroup.objects.filter(leader__isnull=True).order_by("pk"):
        if demo_deputy is not None and group.township_id == demo_deputy.township_id:
            Deputy.objects.filter(pk=demo_deputy.pk).update(group=group)
            leader = demo_deputy
        else:
            leader = Deputy.objects.active().filter(group=group).order_by("pk").first()
        if leader is not None:
            DeputyGroup.objects.filter(pk=group.pk).update(leader=leader)


def seed_awards(year):
    if Award.objects.filter(year=year).exists():
        return
    picks = [
        (AwardKind.BEST_DEPUTY, "deputy", best_deputies(year, limit=1), "全年进站履职、接待群众积分全县领先。"),
        (AwardKind.BEST_STATION, "station", best_stations(year, limit=1), "活动多、接待多、意见办结快。"),
        (AwardKind.BEST_SUGGESTION, "suggestion", best_suggestions(year, limit=1), "建议得到采纳，群众满意。"),
    ]
    for kind, field, rows, citation in picks:
        if rows:
            Award.objects.create(year=year, kind=kind, citation=citation, **{f"{field}_id": rows[0]["id"]})


def seed():
    year = timezone.localdate().year
    seed_rules(year)
    seed_attendance(year)
    seed_group_leaders()
    seed_awards(year)
