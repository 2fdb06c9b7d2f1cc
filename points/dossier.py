"""履职档案: one deputy's year in one place — profile, stations, visits and receptions,
activities, suggestions with their outcomes and ratings, votes cast (that they voted, never
what), session attendance and points with their sources. The print page and the Word document
render the same `Dossier`."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from core import word
from deputies.models import SessionAttendance
from divisions.scope import county_path
from points.ledger import ledger, standings
from stations.models import ActivitySignup, StationMembership, Visit
from suggestions.models import Cosigner, Suggestion
from votes.models import VoterRecord

@dataclass
class Dossier:
    deputy: object
    year: int
    standing: object
    entries: list
    memberships: list
    visits: list
    reception_total: int
    activities: list
    suggestions_led: list
    suggestions_cosigned: list
    votes: list
    attendance: list

    @property
    def points_by_event(self):
        """[(label, records, points)] in rule order, for the summary table."""
        rows = {}
        for entry in self.entries:
            label, count, points = rows.get(entry.event, (entry.label, 0, 0))
            rows[entry.event] = (label, count + 1, points + entry.points)
        return list(rows.values())

    @property
    def total(self):
        return sum(entry.points for entry in self.entries)


def build_dossier(deputy, year):
    """Everything of `deputy`'s year; a fixed number of queries. The ledger reuses the records
    the sections load (visits, activities, suggestions, attendance) instead of reading them
    again."""
    table = standings(year, under=county_path(deputy.township))
    visits = list(
        Visit.objects.filter(deputy=deputy, date__year=year)
        .select_related("station")
        .annotate(reception_count=Count("receptions"))
        .order_by("date", "start_time", "pk")
    )
    activities = list(
        ActivitySignup.objects.filter(deputy=deputy, cancelled_at__isnull=True, activity__starts_at__year=year)
        .select_related("activity")
        .order_by("activity__starts_at", "pk")
    )
    suggestions_led = list(
        Suggestion.objects.counted().filter(lead_deputy=deputy, year=year).select_related("lead_unit", "session")
        .order_by("number", "pk")
    )
    suggestions_cosigned = list(
        Cosigner.objects.filter(deputy=deputy, confirmed_at__isnull=False, suggestion__year=year)
        .exclude(suggestion__state__in=("draft", "withdrawn", "merged"))
        .select_related("suggestion", "suggestion__lead_deputy", "suggestion__lead_unit", "suggestion__session")
    )
    attendance = list(
        SessionAttendance.objects.filter(deputy=deputy, session__start_date__year=year)
        .select_related("session").order_by("session__start_date")
    )
    known = [*visits, *activities, *suggestions_led, *suggestions_cosigned, *attendance]
    return Dossier(
        deputy=deputy,
        year=year,
        standing=table.of(deputy.pk),
        entries=ledger(deputy, year, rules=table.rules, known=known),
        memberships=list(
            StationMembership.objects.filter(deputy=deputy).select_related("station", "station__township")
        ),
        visits=visits,
        reception_total=sum(v.reception_count for v in visits),
        activities=activities,
        suggestions_led=suggestions_led,
        suggestions_cosigned=suggestions_cosigned,
        votes=list(
            VoterRecord.objects.filter(deputy=deputy, voted=True, vote__year=year)
            .select_related("vote", "vote__congress__region")
            .order_by("vote__year", "vote_id")
        ),
        attendance=attendance,
    )


def suggestion_outcome(suggestion):
    """答复类别 and 测评 in words, for the tables."""
    parts = [suggestion.get_state_display()]
    if suggestion.reply_class:
        parts.append(f"{suggestion.reply_class}类答复")
    if suggestion.rating:
        parts.append(suggestion.get_rating_display())
    return "，".join(parts)


# --- Word ---------------------------------------------------------------------------------------


def _day(value):
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def keeping_congress(deputy):
    """The congress that keeps the deputy's dossier: their county's (the deployment's default
    county congress when the county has none yet)."""
    from divisions.models import Congress

    path = county_path(deputy.township)
    congress = Congress.objects.filter(region__path=path).select_related("region").first() if path else None
    return congress or Congress.objects.default()


def dossier_docx(dossier, *, day=None):
    """The dossier as a 公文-grade .docx file (bytes, core.word): authored and signed by the
    congress's standing body, dated the day it is printed."""
    d = dossier.deputy
    congress = keeping_congress(d)
    doc = word.Gongwen(
        title=f"{d.name} {dossier.year}年度履职档案", issuer=str(congress.standing_body_name),
        author=str(congress.name), day=day or timezone.localdate(),
    )

    doc.heading("一、基本情况")
    doc.table(["项目", "内容"], [
        ["姓名", d.name],
        ["性别", d.get_gender_display()],
        ["代表层级", f"{d.get_level_display()}人大代表（第{d.term}届）"],
        ["所在乡镇", d.township.name],
        ["代表小组", d.group.name if d.group_id else "—"],
        ["工作单位及职务", d.occupation or "—"],
        ["选区", d.constituency or "—"],
    ])
    standing = dossier.standing
    summary = f"{dossier.year}年度履职积分 {dossier.total} 分"
    if standing is not None:
        summary += f"，在全县在任代表中排第 {standing.rank} 名"
    doc.paragraph(summary + "。")

    doc.heading("二、所在家室站点")
    doc.table(["站点", "类型", "乡镇"], [
        [m.station.name, m.station.get_kind_display(), m.station.township.name] for m in dossier.memberships
    ])

    doc.heading("三、进站履职和接待群众")
    doc.paragraph(f"全年进站履职 {len(dossier.visits)} 次，接待群众 {dossier.reception_total} 人次。")
    doc.table(["日期", "站点", "接待人次"], [
        [_day(v.date), v.station.name, v.reception_count] for v in dossier.visits
    ], total=[f"合计{len(dossier.visits)}次", "", dossier.reception_total])

    doc.heading("四、参加活动")
    doc.table(["日期", "活动", "类型", "出席情况"], [
        [_day(s.activity.starts_at.date()), s.activity.title, s.activity.get_kind_display(), s.get_attendance_display()]
        for s in dossier.activities
    ])

    doc.heading("五、代表大会出席情况")
    doc.table(["会议", "出席情况", "说明"], [
        [a.session.name, a.get_status_display(), a.note] for a in dossier.attendance
    ])

    doc.heading("六、提出建议及办理情况")
    doc.paragraph(
        f"领衔提出建议 {len(dossier.suggestions_led)} 件，附议 {len(dossier.suggestions_cosigned)} 件。"
    )
    doc.table(["编号", "标题", "方式", "主办单位", "办理结果"], [
        [s.code, s.title, "领衔", s.lead_unit.name if s.lead_unit_id else "—", suggestion_outcome(s)]
        for s in dossier.suggestions_led
    ] + [
        [c.suggestion.code, c.suggestion.title, "附议", c.suggestion.lead_unit.name if c.suggestion.lead_unit_id else "—",
         suggestion_outcome(c.suggestion)]
        for c in dossier.suggestions_cosigned
    ])

    doc.heading("七、民生实事项目票决")
    doc.paragraph("只记录参加投票的情况，不记录投票内容。")
    doc.table(["票决", "范围", "参加情况"], [
        [r.vote.title, r.vote.scope_name, "已投票"] for r in dossier.votes
    ])

    doc.heading("八、履职积分及来源")
    by_event = [list(row) for row in dossier.points_by_event]
    doc.table(["事项", "记录数", "积分"], by_event,
              total=["合计", sum(row[1] for row in by_event), dossier.total] if by_event else None)
    doc.paragraph("积分明细（每一分对应一条履职记录）：")
    doc.table(["日期", "事项", "记录", "积分"], [
        [_day(e.day), e.label, e.text, f"{e.points}{'（已达年度上限）' if e.capped else ''}"] for e in dossier.entries
    ])
    doc.signature()
    return doc.save()
