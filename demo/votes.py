"""Demo livelihood-projects votes (民生实事项目票决), made through the votes services:

- 2025 (县第十八届人民代表大会第四次会议): collected, screened, voted (online and on paper,
  double entry), published and being implemented, with monthly progress, inspections, one
  late project and the year-end evaluation open;
- 2026 (第五次会议): open for voting; the demo account `deputy` is eligible and has not voted;
- 2027: collecting proposals, so the public form (/projects/propose/) and the station panel
  can be tried.

Running it again adds nothing; it only keeps the 2026 voting window open."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role
from demo.foundation import DEMO_PASSWORD, clock
from deputies.models import CongressSession, Deputy, Level
from divisions.models import Congress, HandlingUnit
from votes import services
from votes.models import Candidate, ProjectVote, Proposal, ProposalSource, VoteStatus

# (title, summary, location, responsible unit, budget in 万元, popularity among deputies)
PROJECTS_2025 = [
    ("城区中小学扩容提质工程", "新建城东小学，改扩建城关二中教学楼，新增学位1800个，缓解城区“大班额”。", "城关镇、东城街道", "县教育局", 12800, 0.95),
    ("农村公路提档升级", "改造提升农村公路60公里，实施危桥改造8座，打通群众出行“最后一公里”。", "全县各乡镇", "县交通运输局", 9600, 0.92),
    ("城乡供水一体化", "新建青山水厂配套管网42公里，解决5个乡镇3.2万人饮水安全问题。", "青山镇、石桥镇、河口镇", "县水利局", 8500, 0.9),
    ("老旧小区改造", "改造2000年以前建成的老旧小区23个，加装电梯、改造管网、增设停车位。", "城关镇、西城街道", "县住房和城乡建设局", 6200, 0.86),
    ("县人民医院急诊综合楼", "建设急诊、重症监护综合楼，提升急危重症救治能力。", "城关镇", "县卫生健康委员会", 15000, 0.84),
    ("居家养老服务中心", "在12个乡镇（街道）各建一处居家养老服务中心，提供助餐、助浴、日间照料。", "全县各乡镇", "县民政局", 2400, 0.8),
    ("城区公交线路优化", "新开通城乡公交线路4条，更新新能源公交车30辆，建设智能候车亭60个。", "城区及周边乡镇", "县交通运输局", 1900, 0.74),
    ("农贸市场标准化改造", "改造城区及乡镇农贸市场9个，实现干湿分离、明码标价、食品快检。", "城关镇、白沙镇等", "县市场监督管理局", 1600, 0.7),
    ("农村生活污水治理", "在40个行政村建设污水处理设施，农村生活污水治理率提高到65%。", "全县40个行政村", "县生态环境分局", 5200, 0.66),
    ("全民健身设施补短板", "新建口袋公园10个、社区健身点50处、城市绿道12公里。", "城区及各乡镇", "县城市管理局", 1300, 0.63),
    ("县图书馆新馆", "建设县图书馆新馆，面积1.2万平方米。", "城关镇", "县文化广电和旅游局", 9800, 0.42),
    ("农村电网改造", "改造农村低电压台区35个。", "柳林乡、杏花乡", "县供电公司", 2100, 0.36),
    ("智慧停车系统", "城区建设智慧停车管理平台和停车位1200个。", "城关镇", "县城市管理局", 3200, 0.3),
]
PROJECTS_2026 = [
    ("城区学校食堂提升", "改造城区中小学食堂14所，推行“明厨亮灶”，实现学生午餐在校就餐全覆盖。", "城关镇、东城街道、西城街道", "县教育局", 2600),
    ("乡镇卫生院能力提升", "为8个乡镇卫生院配备DR、彩超等设备，建设远程会诊系统。", "全县各乡镇", "县卫生健康委员会", 3100),
    ("农村道路安全生命防护", "在急弯陡坡、临水临崖路段安装波形护栏120公里。", "全县农村公路", "县交通运输局", 2800),
    ("城区排水防涝改造", "改造城区易涝点15处，新建雨水管网18公里。", "城关镇、西城街道", "县住房和城乡建设局", 7400),
    ("社区嵌入式托育", "建设普惠托育点20个，新增托位600个。", "城区各社区", "县卫生健康委员会", 1800),
    ("高标准农田建设", "建设高标准农田3万亩，配套灌溉和机耕道路。", "柳林乡、杏花乡、新田乡", "县农业农村局", 6000),
    ("老年助餐点", "新建老年助餐点60个，覆盖城区和中心村。", "全县", "县民政局", 900),
    ("河道综合整治", "整治白沙河、龙泉河河道28公里，建设滨河步道。", "白沙镇、龙泉镇", "县水利局", 5600),
    ("公共厕所新建改造", "新建改造城乡公厕80座。", "全县", "县城市管理局", 1200),
    ("就业驿站", "在12个乡镇（街道）建设“家门口”就业服务驿站。", "全县各乡镇", "县人力资源和社会保障局", 500),
    ("文化广场提升", "提升改造乡镇文化广场10个。", "各乡镇", "县文化广电和旅游局", 1500),
]
PUBLIC_PROPOSALS_2027 = [
    ("南湖镇中心小学增建风雨操场", "学生下雨天没有地方上体育课，希望建一个风雨操场。", "南湖镇中心小学", "全校 900 名学生"),
    ("城关镇幸福路加装路灯", "幸福路北段约800米没有路灯，晚上行人和电动车很危险。", "城关镇幸福路北段", "沿线 3 个小区居民"),
    ("新田乡至县城增开早班车", "早上 6 点前没有到县城的公交，赶早市和上班的人很不方便。", "新田乡", "新田乡群众"),
]
SOURCES = [ProposalSource.PUBLIC, ProposalSource.STATION, ProposalSource.DEPUTY, ProposalSource.DEPARTMENT]


def _aware(day, hour=9, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _user(username):
    return get_user_model().objects.get(username=username)


def _unit_accounts():
    """A sign-in account for every handling unit that carries a demo project (the 交通运输局's is
    the foundation's `unit`); usernames like unit_教育局, password lianxin-demo."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    accounts = {}
    for unit in HandlingUnit.objects.all():
        existing = unit.users.filter(role=Role.UNIT, is_active=True).order_by("pk").first()
        if existing is None:
            existing, _created = User.objects.get_or_create(
                username=f"unit_{unit.short_name or unit.pk}",
                defaults={"name": f"{unit.name} 联络员", "role": Role.UNIT, "handling_unit": unit,
                          "password": password},
            )
        accounts[unit.name] = existing
    return accounts


def _collect(vote, rows, *, deputies):
    """Proposals from every source; each candidate-to-be is one of them."""
    proposals = []
    for index, (title, summary, location, unit_name, *_rest) in enumerate(rows):
        source = SOURCES[index % len(SOURCES)]
        fields = {"title": title, "description": summary, "location": location,
                  "beneficiaries": "相关乡镇群众"}
        if source == ProposalSource.DEPUTY:
            proposal = services.submit_proposal(vote, by=deputies[index % len(deputies)].user, **fields)
        elif source == ProposalSource.DEPARTMENT:
            unit = HandlingUnit.objects.get(name=unit_name)
            proposal = services.submit_proposal(vote, by=unit.users.filter(role=Role.UNIT).first(), **fields)
        elif source == ProposalSource.STATION:
            proposal = services.submit_proposal(vote, by=None, station_code="demo", station_name="城关镇代表之家", **fields)
        else:
            proposal = services.submit_proposal(vote, by=None, contact_name="群众", **fields)
        proposals.append(proposal)
    # Duplicates the screening merges, and one set aside.
    dup = services.submit_proposal(vote, by=None, title=f"{rows[0][0]}（群众再次推荐）", description=rows[0][1])
    extra = services.submit_proposal(vote, by=None, title="县城建设大型游乐场", description="希望建一个大型游乐场。")
    return proposals, dup, extra


def _screen(vote, rows, proposals, dup, extra, *, staff, units, today):
    services.start_screening(vote, by=staff)
    services.merge_proposals(proposals[0], duplicates=[dup], by=staff)
    services.reject_proposal(extra, by=staff, reason="投资大、受益面窄，不列入本年度民生实事。")
    transport = HandlingUnit.objects.get(name="县交通运输局")
    for proposal, row in zip(proposals, rows):
        unit = HandlingUnit.objects.get(name=row[3])
        if unit == transport:
            request = services.request_feasibility(proposal, unit=unit, due_date=today + timedelta(days=10),
                                                   by=staff, today=today)
            services.answer_feasibility(request, by=units[unit.name], feasible=True,
                                        cost_estimate=Decimal(row[4]), responsible_unit=unit,
                                        timeline="当年3月开工，11月底完工", opinion="项目可行，资金已纳入年度预算。")
        services.add_candidate(vote, by=staff, proposal=proposal, title=row[0], summary=row[1],
                               location=row[2], responsible_unit=unit, budget=Decimal(row[4]))


def _ballot(rng, candidates, popularity, seats):
    approve = [c.pk for c, p in zip(candidates, popularity) if rng.random() < p]
    approve = approve[:seats]
    abstain = [c.pk for c in candidates if c.pk not in approve and rng.random() < 0.04]
    return approve, abstain


def seed_last_year(staff, teller, units):
    session = CongressSession.objects.get(congress=Congress.objects.default(), term=18, number=4)
    if ProjectVote.objects.filter(year=session.start_date.year, congress=Congress.objects.default(), runoff_of=None).exists():
        return
    rng = random.Random(2025)
    year = session.start_date.year
    deputies = list(Deputy.objects.active().filter(level=Level.COUNTY, term=18, user__isnull=False).order_by("pk"))
    vote = services.create_vote(
        by=staff, title=f"{year}年县级民生实事项目票决", year=year, congress=Congress.objects.default(), term=18, session=session,
        seats=10, collection_deadline=date(year - 1, 12, 15),
        description="面向全县征集年度民生实事项目，经部门论证、代表票决后组织实施。",
    )
    with clock(date(year - 1, 11, 20)):
        proposals, dup, extra = _collect(vote, PROJECTS_2025, deputies=deputies)
    with clock(date(year - 1, 12, 20)):
        _screen(vote, PROJECTS_2025, proposals, dup, extra, staff=staff, units=units, today=date(year - 1, 12, 20))
    opens, closes = _aware(session.start_date + timedelta(days=2), 9), _aware(session.start_date + timedelta(days=2), 11)
    ProjectVote.objects.filter(pk=vote.pk).update(opens_at=opens, closes_at=closes)
    vote = services.open_voting(ProjectVote.objects.get(pk=vote.pk), by=staff, now=opens - timedelta(hours=1))
    candidates = list(vote.candidates.order_by("number"))
    popularity = [row[5] for row in PROJECTS_2025]
    records = list(vote.voters.select_related("deputy__user").order_by("pk"))
    paper = [r.deputy_id for r in records[:6]]
    services.mark_paper_voters(vote, deputy_ids=paper, by=staff)
    cast_at = opens + timedelta(minutes=20)
    for record in records[6:]:
        if rng.random() < 0.08 or record.deputy.user is None:  # absent
            continue
        approve, abstain = _ballot(rng, candidates, popularity, vote.seats)
        services.cast_ballot(vote, by=record.deputy.user, approve=approve, abstain=abstain, now=cast_at)
    for number in range(1, len(paper) + 1):
        approve, _abstain = _ballot(rng, candidates, popularity, vote.seats)
        line = "".join("Y" if c.pk in approve else "N" for c in candidates)
        for by in (staff, teller):
            services.enter_paper_ballot(vote, number=number, by=by, line=line)
    vote = services.publish_results(vote, by=staff, now=closes + timedelta(hours=2))
    vote = services.start_implementation(vote, by=staff, today=date(year, 2, 1))
    _implement(vote, units, staff, rng, deputies)
    services.open_evaluation(vote, by=staff)
    for deputy in deputies[:40]:
        for project in vote.candidates.elected():
            rating = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[75, 20, 5])[0]
            services.evaluate_project(project, by=deputy.user, rating=rating)


def _implement(vote, units, staff, rng, deputies):
    year = vote.year
    today = timezone.localdate()
    projects = list(vote.candidates.elected().select_related("responsible_unit").order_by("rank"))
    for index, project in enumerate(projects):
        late = index == len(projects) - 1  # one project falls behind
        finish = date(year, 12, 31) if not late else date(year + 1, 6, 30)
        services.update_project_plan(project, by=staff, responsible_unit=project.responsible_unit,
                                     budget=project.budget, planned_completion=finish)
        steps = [("完成立项和招标", date(year, 3, 31)), ("开工建设", date(year, 5, 15)),
                 ("主体工程完工", date(year, 10, 31)), ("竣工验收", finish)]
        for title, due in steps:
            milestone = services.add_milestone(project, by=staff, title=title, due_date=due)
            if due < today and not (late and due > date(year, 5, 31)):
                services.complete_milestone(milestone, by=staff, done_on=due - timedelta(days=rng.randint(0, 12)))
        user = units[project.responsible_unit.name]
        month = date(year, 2, 1)
        percent = 0
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        while month <= (last_month if not late else date(year + 1, 3, 1)) and percent < 100:
            percent = min(100, percent + (rng.randint(8, 14) if not late else rng.randint(4, 8)))
            text = (f"{project.title}：本月完成投资约{rng.randint(3, 12)}%，"
                    f"{'工程按计划推进' if not late else '受征地影响进度滞后，正在协调'}，累计完成{percent}%。")
            services.report_progress(project, by=user, text=text, percent=percent, today=month + timedelta(days=24))
            month = (month + timedelta(days=32)).replace(day=1)
        inspector = deputies[index * 7 % len(deputies)]
        services.add_inspection(project, by=inspector.user, visited_on=date(year, 9, 10 + index % 15),
                                note="实地查看施工现场，质量和安全措施到位，建议加快进度并做好群众沟通。",
                                today=today)


def seed_this_year(staff):
    session = CongressSession.objects.get(congress=Congress.objects.default(), term=18, number=5)
    year = session.start_date.year
    now = timezone.now()
    existing = ProjectVote.objects.filter(year=year, congress=Congress.objects.default(), runoff_of=None).first()
    if existing is not None:
        if existing.status == VoteStatus.VOTING and existing.closes_at < now + timedelta(days=1):
            # Demo only: keep the window open so a newcomer can always try the ballot.
            ProjectVote.objects.filter(pk=existing.pk).update(closes_at=now + timedelta(days=14))
        return
    rng = random.Random(2026)
    # Demo only: the vote opens now (so a newcomer can try the ballot); its proposals were
    # collected until a month ago and screened since.
    vote = services.create_vote(
        by=staff, title=f"{year}年县级民生实事项目票决", year=year, congress=Congress.objects.default(), term=18, session=session,
        seats=8, collection_deadline=timezone.localdate() - timedelta(days=30),
        description="征集城乡群众最关心的民生实事，经代表差额票决后组织实施。",
    )
    with clock(vote.collection_deadline - timedelta(days=20)):
        for title, summary, location, unit_name, budget in PROJECTS_2026:
            services.submit_proposal(vote, by=None, title=title, description=summary, location=location)
    with clock(vote.collection_deadline + timedelta(days=10)):
        services.start_screening(vote, by=staff)
        for proposal, (title, summary, location, unit_name, budget) in zip(
                vote.proposals.order_by("pk"), PROJECTS_2026):
            services.add_candidate(vote, by=staff, proposal=proposal, title=title, summary=summary,
                                   location=location, responsible_unit=HandlingUnit.objects.get(name=unit_name),
                                   budget=Decimal(budget))
    ProjectVote.objects.filter(pk=vote.pk).update(opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=14))
    vote = services.open_voting(ProjectVote.objects.get(pk=vote.pk), by=staff)
    candidates = list(vote.candidates.order_by("number"))
    popularity = [0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.55, 0.5, 0.45, 0.35, 0.3]
    records = list(
        vote.voters.exclude(deputy__user__username="deputy").select_related("deputy__user").order_by("pk")
    )
    for record in records[:60]:
        if record.deputy.user is not None:
            approve, abstain = _ballot(rng, candidates, popularity, vote.seats)
            services.cast_ballot(vote, by=record.deputy.user, approve=approve, abstain=abstain)
    services.mix_ballots(vote)


def seed_next_year(staff):
    year = CongressSession.objects.get(congress=Congress.objects.default(), term=18, number=5).start_date.year + 1
    if ProjectVote.objects.filter(year=year, congress=Congress.objects.default(), runoff_of=None).exists():
        return
    vote = services.create_vote(
        by=staff, title=f"{year}年县级民生实事项目征集", year=year, congress=Congress.objects.default(), term=18, seats=8,
        collection_deadline=timezone.localdate() + timedelta(days=30),
        description="您希望政府明年为群众办哪些实事？欢迎推荐，经论证筛选后提交县人民代表大会票决。",
    )
    for title, description, location, beneficiaries in PUBLIC_PROPOSALS_2027:
        Proposal.objects.create(vote=vote, title=title, description=description, location=location,
                                beneficiaries=beneficiaries, source=ProposalSource.PUBLIC)


def seed():
    staff, teller = _user("staff"), _user("admin")
    units = _unit_accounts()
    seed_last_year(staff, teller, units)
    seed_this_year(staff)
    seed_next_year(staff)
    return {"votes": ProjectVote.objects.count(), "elected": Candidate.objects.elected().count()}
