"""Demo liaison stations: every kind across the 12 townships, every active deputy a member, the
duty roster for last, this and next month, visits with receptions on past duty days, activities
with sign-ups, weekly learning materials, holidays, and the station manager account `manager`.

Safe to run again: everything is looked up before it is created."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role
from demo import names
from demo.foundation import DEMO_PASSWORD
from deputies.models import Deputy, Level
from divisions.models import Township, Village
from stations import scheduler, services
from stations.models import (
    Activity,
    ActivitySignup,
    Category,
    DutyAssignment,
    DutyRule,
    Holiday,
    LearningMaterial,
    MaterialRead,
    Station,
    StationMembership,
    Visit,
)

MANAGER_USERNAME = "manager"

# What constituents raise, by category.
ISSUES = {
    "交通出行": ["村口道路坑洼，雨天积水，希望尽快修补。", "公交站没有遮雨棚，老人等车不方便。", "学校门口上下学时段车辆拥堵，建议设置护学岗。"],
    "教育": ["村小学缺少音乐和美术老师。", "希望增加幼儿园学位，孩子入园难。"],
    "医疗卫生": ["村卫生室常用药品不全。", "希望镇卫生院开设夜间门诊。"],
    "生态环境": ["河道有生活垃圾堆积，夏天有异味。", "附近养殖场污水直排，请相关部门检查。"],
    "农业农村": ["农田灌溉渠年久失修，漏水严重。", "希望组织果树修剪技术培训。"],
    "社会保障": ["咨询城乡居民养老保险缴费档次。", "高龄津贴申请流程不清楚。"],
    "城乡建设": ["小区路灯坏了好几盏，晚上出行不安全。", "老旧小区加装电梯的政策咨询。"],
    "就业创业": ["返乡创业贷款怎么申请？", "希望多举办本地招聘会。"],
    "矛盾纠纷": ["与邻居因宅基地界线有纠纷，请求调解。", "农民工工资被拖欠，请求帮助。"],
    "其他": ["建议在村里设置便民服务点。"],
}
FEEDBACK = {
    "answered": "已当场解释相关政策，群众表示满意。",
    "follow_up": "已记录，会后与相关部门沟通，跟进办理。",
    "referred": "已转交镇政府相关办公室办理。",
}
ACTIVITIES = [
    ("research", "农村公路养护情况专题调研", "县交通运输局及各乡镇"),
    ("inspection", "县城老旧小区改造项目视察", "东城街道"),
    ("law_enforcement", "《中华人民共和国食品安全法》执法检查", "县市场监督管理局"),
    ("training", "新任代表履职培训班", "县委党校"),
    ("group", "城关镇代表小组“代表接待日”活动", "城关镇人大代表之家"),
    ("report", "县人大代表向选民述职评议会", "青山镇人大代表之家"),
    ("forum", "民营企业发展座谈会", "县人大常委会会议室"),
    ("observer", "列席县人大常委会第二十次会议", "县人大常委会会议室"),
    ("court_hearing", "旁听县人民法院民事案件庭审", "县人民法院第一法庭"),
    ("research", "农村养老服务体系建设调研", "柳林乡、杏花乡"),
    ("training", "代表建议撰写专题培训", "县人大常委会会议室"),
    ("inspection", "城乡供水一体化工程视察", "县水利局"),
]
MATERIALS = [
    "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》要点",
    "怎样写好一件代表建议",
    "全过程人民民主的基本内涵",
    "代表联络站“逢6进站”工作规范",
    "民生实事项目代表票决制工作指引",
    "代表接待群众的方法与技巧",
    "预算审查监督基础知识",
    "代表履职积分管理办法解读",
]


def _holidays(year):
    days = [(date(year, 1, 1), "元旦")]
    days += [(date(year, 5, d), "劳动节") for d in range(1, 6)]
    days += [(date(year, 10, d), "国庆节") for d in range(1, 8)]
    for day, name in days:
        Holiday.objects.get_or_create(date=day, defaults={"name": name})


def _manager(station):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=MANAGER_USERNAME,
        defaults={"name": "城关镇代表之家 陈静", "role": Role.STATION_MANAGER, "phone": "13900009999"},
    )
    if created or not user.has_usable_password():
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if station.manager_id != user.pk:
        station.manager = user
        station.save(update_fields=["manager"])
    return user


def _station(name, township, **fields):
    station, _created = Station.objects.get_or_create(name=name, defaults={"township": township, **fields})
    return station


def seed_stations():
    """About five stations per township: a home, two village stations, a practice point, plus
    studios named after deputies, mobile stations and one online station."""
    third_tuesday, _ = DutyRule.objects.get_or_create(
        name="每月第三周星期二",
        defaults={"kind": DutyRule.Kind.NTH_WEEKDAY, "week": 3, "weekday": 1, "deputies_per_shift": 2,
                  "start_time": time(14, 30), "end_time": time(17, 0)},
    )
    by_township = {}
    for township in Township.objects.order_by("sort_order", "pk"):
        villages = list(Village.objects.filter(township=township).order_by("name")[:2])
        stations = [
            _station(f"{township.name}人大代表之家", township, kind=Station.Kind.HOME,
                     address=f"{township.name}人民路{township.sort_order * 3 + 1}号", opening_hours="工作日 8:30–17:30",
                     description="代表之家是代表学习培训、集中活动、联系群众的固定场所。"),
            _station(f"{township.name}全过程人民民主基层实践点", township, kind=Station.Kind.POINT,
                     address=f"{township.name}便民服务中心二楼", opening_hours="每月6日、16日、26日上午"),
        ]
        for village in villages:
            stations.append(_station(f"{township.name}{village.name}代表联络站", township, kind=Station.Kind.STATION,
                                     address=f"{village.name}党群服务中心", opening_hours="逢6日上午 9:00–11:30"))
        if township.sort_order % 4 == 2:
            stations.append(_station(f"{township.name}流动代表联络站（流动办公桌）", township, kind=Station.Kind.STATION,
                                     mode=Station.Mode.MOBILE, duty_rule=third_tuesday,
                                     description="流动办公桌走进集市、企业和田间地头，每月第三周星期二开放。"))
        by_township[township.pk] = stations
    first = Township.objects.order_by("sort_order", "pk").first()
    _station("连心县云端代表联络站", first, kind=Station.Kind.STATION, mode=Station.Mode.ONLINE, duty_enabled=False,
             description="线上联系代表：扫码留言，代表在线答复。")
    # Studios named after a county deputy in every third township.
    for township in Township.objects.filter(sort_order__in=[1, 4, 7, 10]):
        deputy = (
            Deputy.objects.filter(township=township, level=Level.COUNTY, status=Deputy.Status.ACTIVE)
            .order_by("phone").first()
        )
        if deputy is None:
            continue
        studio = Station.objects.filter(kind=Station.Kind.STUDIO, named_after=deputy).first()
        if studio is None:
            studio = Station.objects.create(
                name=f"{deputy.name}代表工作室", kind=Station.Kind.STUDIO, township=township, named_after=deputy,
                address=f"{township.name}{names.STREETS[township.sort_order % len(names.STREETS)]}"
                        f"{township.sort_order * 7 + 20}号",
                opening_hours="每周三下午",
                description=f"以{deputy.name}代表命名的代表工作室，专注基层矛盾纠纷化解。",
            )
        by_township[township.pk].append(studio)
    return by_township


def seed_memberships(by_township):
    """Every active deputy in a station of their township; higher-level deputies also in the home."""
    existing = set(StationMembership.objects.values_list("station_id", "deputy_id"))
    new = []

    def add(station, deputy, leader=False):
        if (station.pk, deputy.pk) not in existing:
            existing.add((station.pk, deputy.pk))
            new.append(StationMembership(station=station, deputy=deputy, is_leader=leader,
                                         joined_on=date(2022, 3, 1)))

    for township_id, stations in by_township.items():
        fixed = [s for s in stations if s.kind != Station.Kind.STUDIO]
        deputies = list(Deputy.objects.filter(township_id=township_id, status=Deputy.Status.ACTIVE).order_by("phone"))
        for index, deputy in enumerate(deputies):
            add(fixed[index % len(fixed)], deputy, leader=index == 0)
            if deputy.level in (Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL):
                add(stations[0], deputy)
        for studio in (s for s in stations if s.kind == Station.Kind.STUDIO):
            add(studio, studio.named_after, leader=True)
            for deputy in deputies[1:3]:
                add(studio, deputy)
    online = Station.objects.get(name="连心县云端代表联络站")
    for deputy in Deputy.objects.filter(level__in=[Level.NATIONAL, Level.PROVINCIAL]).order_by("phone"):
        add(online, deputy)
    StationMembership.objects.bulk_create(new)


def seed_visits(today):
    """Visits on past duty days (most turns attended), each with a few receptions."""
    rng = random.Random(6)
    for order, name in enumerate(ISSUES, start=1):  # normally made by the data migration
        Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    categories = {c.name: c for c in Category.objects.all()}
    villages = {}
    for village in Village.objects.all():
        villages.setdefault(village.township_id, []).append(village)
    done = set(Visit.objects.values_list("deputy_id", "station_id", "date"))
    assignments = (
        # Past turns not yet settled: attended here or, after close_past_shifts, missed for good.
        DutyAssignment.objects.filter(
            shift__date__lt=today, attendance=DutyAssignment.Attendance.PENDING, deputy__user__is_active=True
        )
        .select_related("shift__station", "deputy__user")
        .order_by("shift__date", "pk")
    )
    for assignment in assignments:
        shift = assignment.shift
        key = (assignment.deputy_id, shift.station_id, shift.date)
        if key in done or rng.random() > 0.85:
            continue
        done.add(key)
        receptions = []
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            category = rng.choice(list(ISSUES))
            handling = rng.choice(["answered", "answered", "follow_up", "referred"])
            receptions.append({
                "visitor_name": names.person_name(rng),
                "visitor_phone": f"13{rng.randint(500000000, 999999999)}" if rng.random() < 0.7 else "",
                "village": rng.choice(villages.get(shift.station.township_id, [None])),
                "category": categories.get(category) or categories["其他"],
                "content": rng.choice(ISSUES[category]),
                "handling": handling,
                "feedback": FEEDBACK[handling],
            })
        services.record_visit(
            by=assignment.deputy.user, station=shift.station, date=shift.date,
            start_time=shift.start_time, end_time=shift.end_time,
            summary="逢6进站，接待来访群众。" if receptions else "进站值班，整理站点台账。",
            receptions=receptions,
        )
    services.close_past_shifts(today=today)


def seed_activities(organizer, today):
    rng = random.Random(16)
    deputies = list(Deputy.objects.filter(status=Deputy.Status.ACTIVE).order_by("phone"))
    now = timezone.now()
    for index, (kind, title, place) in enumerate(ACTIVITIES):
        offset = (index - 6) * 9  # half in the past, half to come
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=offset), time(9, 0)))
        activity, created = Activity.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind, "place": place, "description": f"{title}，请报名代表准时参加。",
                "starts_at": starts, "ends_at": starts + timedelta(hours=3),
                "signup_deadline": starts - timedelta(days=2), "capacity": rng.choice([None, 20, 30, 40]),
                "organizer": organizer,
            },
        )
        if not created:
            continue
        chosen = rng.sample(deputies, min(len(deputies), (activity.capacity or 25) - rng.randint(0, 8)))
        past = activity.starts_at < now
        ActivitySignup.objects.bulk_create([
            ActivitySignup(
                activity=activity, deputy=deputy, signed_up_at=activity.signup_deadline - timedelta(days=3),
                attendance=(
                    (ActivitySignup.Attendance.ATTENDED if rng.random() < 0.9 else ActivitySignup.Attendance.ABSENT)
                    if past else ActivitySignup.Attendance.UNKNOWN
                ),
            )
            for deputy in chosen
        ])


def seed_materials(publisher, today):
    rng = random.Random(26)
    deputies = list(Deputy.objects.filter(status=Deputy.Status.ACTIVE).order_by("phone"))
    for index, title in enumerate(MATERIALS):
        published = timezone.make_aware(datetime.combine(today - timedelta(weeks=len(MATERIALS) - index - 1), time(9, 0)))
        material, created = LearningMaterial.objects.get_or_create(
            title=f"第{index + 1}期：{title}",
            defaults={"body": f"{title}。\n\n本期学习资料供各位代表自学，请在一周内阅读。", "published_at": published,
                      "published_by": publisher},
        )
        if created:
            share = 0.9 - index * 0.08
            MaterialRead.objects.bulk_create(
                [MaterialRead(material=material, deputy=d) for d in deputies if rng.random() < share]
            )


def seed():
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        _holidays(year)
    by_township = seed_stations()
    seed_memberships(by_township)
    home = Station.objects.get(name="城关镇人大代表之家")
    _manager(home)
    first = today.replace(day=1)
    for month in (scheduler.add_months(first, -1), first, scheduler.add_months(first, 1)):
        scheduler.schedule_month(month.year, month.month)
    seed_visits(today)
    staff = get_user_model().objects.filter(username="staff").first()
    seed_activities(staff, today)
    seed_materials(staff, today)
    return {"stations": Station.objects.count()}
