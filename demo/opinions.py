"""Demo public opinions: about 360 over the last five months across the demo stations, in every
state (some overdue, some rated, some turned into suggestions), most units' referrals going to
the demo unit 县交通运输局; follow-up receptions from the stations demo enter the same flow.

Built row by row with consistent timelines (the services stamp "now"; the demo needs a past).
Running it again adds nothing."""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from demo import names
from divisions.models import HandlingUnit
from divisions.scope import home_congress, unit_serves
from opinions import services
from opinions.models import Opinion, Rating, Source, State, Step, TimelineEntry
from stations.models import Category, Station

COUNT = 360
# Share of each end state (of 100).
STATES = [
    (State.SUBMITTED, 10), (State.ADOPTED, 12), (State.REFERRED, 10), (State.HANDLING, 13),
    (State.CLOSED, 50), (State.CONVERTED, 5),
]

CONTENTS = {
    "交通出行": [
        "村口到镇上的道路坑洼不平，雨天积水严重，电动车经常摔倒，希望尽快修补。",
        "学校门口上下学时段车辆乱停，孩子过马路很危险，建议设置减速带和护学岗。",
        "镇上到县城的公交车班次太少，早上7点前没有车，务工人员出行不便。",
        "桥头路灯坏了两个多月，晚上一片漆黑，老人出门不安全。",
    ],
    "教育": [
        "村小学的校舍屋顶漏雨，教室墙面发霉，希望安排维修。",
        "幼儿园学位紧张，今年很多适龄儿童报不上名，建议扩建。",
        "学校午餐质量一般，家长希望公开食谱并加强监督。",
    ],
    "医疗卫生": [
        "村卫生室只有一名医生，经常不在，老人看病拿药要跑到镇上。",
        "镇卫生院周末不能做检查，希望增加值班人员。",
        "慢性病药品在村卫生室买不到，能否纳入基本药物目录配备。",
    ],
    "生态环境": [
        "河道里垃圾漂浮，夏天气味很大，希望定期清理。",
        "附近养殖场粪污直排，水沟发黑发臭，影响周边村民生活。",
        "垃圾收集点清运不及时，垃圾桶常常满溢。",
    ],
    "农业农村": [
        "农田灌溉渠年久失修，放水时渗漏严重，影响春耕。",
        "希望组织农业技术培训，帮助种植户提高茶叶品质。",
        "高标准农田建设后机耕路太窄，农机下不了田。",
    ],
    "社会保障": [
        "高龄老人补贴发放时间不固定，希望按月按时发放。",
        "城乡居民医保缴费方式复杂，老人不会用手机，希望保留现场缴费。",
        "村里留守老人多，建议开办老年食堂。",
    ],
    "城乡建设": [
        "老旧小区没有电梯，楼道照明损坏，希望纳入改造计划。",
        "自来水压力太小，高处几户人家白天用不上水。",
        "集镇排水管道堵塞，下大雨时街面积水到膝盖。",
    ],
    "就业创业": [
        "返乡青年想开网店，希望提供创业贷款和电商培训。",
        "附近工厂招工信息不透明，建议在村里设就业信息栏。",
    ],
    "矛盾纠纷": [
        "邻里因宅基地边界发生争执，多次协调未果，请帮助调解。",
        "工程完工半年了还拖欠农民工工资，请帮助追讨。",
    ],
    "其他": [
        "村里广场舞音响声音太大影响休息，希望规定时间。",
        "希望在村委会设置便民服务点，代办证照业务。",
    ],
}

ANSWERS = [
    "已与村委会沟通，安排专人于下周处理，处理结果将在村务公开栏公示。",
    "经核实，该问题已纳入今年民生实事项目，预计年底前完成。",
    "已向有关部门反映，相关政策已当面向您解释，欢迎继续监督。",
]
UNIT_REPLIES = [
    "经现场查看，已安排施工队于本月内修复完毕，感谢您的监督。",
    "已列入明年度工作计划，资金落实后立即实施，届时将通知所在村。",
    "经研究，已增加相应班次和人员，自下月1日起执行。",
    "已责成责任单位限期整改，我局将持续跟踪督促。",
]
RETURN_REASONS = ["该事项属于乡镇职责，请由乡镇人民政府办理。", "不属于本单位职责范围，建议转县住建局。"]


def _person(rng):
    if rng.random() < 0.35:
        return "", ""
    return names.person_name(rng), f"13{rng.randint(5, 9)}{rng.randint(0, 99999999):08d}"


def _receive(built):
    """Each opinion is received (and held) by its station's congress: a bulk insert calls no save()."""
    homes = {}
    for opinion, _entries in built:
        township = opinion.station.township
        if township.pk not in homes:
            homes[township.pk] = home_congress(township)
        opinion.congress = opinion.received_by = homes[township.pk]


def _entry(opinion, step, at, *, actor=None, actor_name="", from_state="", to_state="", note="",
           public_text="", unit=None):
    return TimelineEntry(
        opinion=opinion, step=step, created_at=at, actor=actor, actor_name=actor_name,
        from_state=from_state, to_state=to_state, note=note, public_text=public_text, unit=unit,
    )


def _build(rng, now, station, members, category, units, demo_unit, target=None):
    """One opinion with its timeline, ending in `target` or a state drawn from STATES."""
    target = target or rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
    # Open ones are recent (some of them past their deadline), closed ones spread back.
    if target in (State.SUBMITTED, State.ADOPTED):
        age = rng.uniform(0.2, 12)
    elif target in (State.REFERRED, State.HANDLING):
        age = rng.uniform(1, 40)
    else:
        age = rng.uniform(2, 150)
    created = now - timedelta(days=age)
    name, phone = _person(rng)
    opinion = Opinion(
        station=station, category=category, content=rng.choice(CONTENTS.get(category.name, CONTENTS["其他"])),
        name=name, phone=phone, consent_at=created if (name or phone) else None, created_at=created,
        due_at=services.deadline_after(created, settings.OPINION_ADOPT_DAYS),
    )
    entries = [(Step.SUBMIT, created, {"to_state": State.SUBMITTED, "actor_name": "系统",
                                       "public_text": "意见已提交，等待代表接单"})]
    moment = created
    if target != State.SUBMITTED and members:
        deputy = rng.choice(members)
        moment = min(now, moment + timedelta(hours=rng.uniform(2, 70)))
        opinion.adopted_by, opinion.adopted_at = deputy, moment
        opinion.due_at = services.deadline_after(moment, settings.OPINION_REPLY_DAYS)
        entries.append((Step.ADOPT, moment, {"from_state": State.SUBMITTED, "to_state": State.ADOPTED,
                        "actor": deputy.user, "actor_name": f"{deputy.name}代表",
                        "public_text": f"{deputy.name}代表已接单"}))
        referred = target in (State.REFERRED, State.HANDLING) or (target == State.CLOSED and rng.random() < 0.6)
        if referred:
            if rng.random() < 0.12:  # returned once by a unit before the right one took it
                wrong = rng.choice(units)
                moment = min(now, moment + timedelta(hours=rng.uniform(1, 30)))
                entries.append((Step.REFER, moment, {"from_state": State.ADOPTED, "to_state": State.REFERRED,
                                "actor": deputy.user, "actor_name": f"{deputy.name}代表", "unit": wrong,
                                "public_text": f"已转交{wrong.name}办理"}))
                moment = min(now, moment + timedelta(hours=rng.uniform(5, 48)))
                entries.append((Step.RETURN, moment, {"from_state": State.REFERRED, "to_state": State.ADOPTED,
                                "actor_name": wrong.name, "unit": wrong, "note": rng.choice(RETURN_REASONS),
                                "public_text": "承办单位退回，正在重新安排办理"}))
            unit = demo_unit if rng.random() < 0.4 else rng.choice(units)
            moment = min(now, moment + timedelta(hours=rng.uniform(1, 48)))
            opinion.unit, opinion.referred_at = unit, moment
            opinion.due_at = services.deadline_after(moment, settings.OPINION_REPLY_DAYS)
            entries.append((Step.REFER, moment, {"from_state": State.ADOPTED, "to_state": State.REFERRED,
                            "actor": deputy.user, "actor_name": f"{deputy.name}代表", "unit": unit,
                            "public_text": f"已转交{unit.name}办理"}))
            if target != State.REFERRED:
                moment = min(now, moment + timedelta(hours=rng.uniform(2, 60)))
                entries.append((Step.ACCEPT, moment, {"from_state": State.REFERRED, "to_state": State.HANDLING,
                                "actor_name": unit.name, "unit": unit, "public_text": f"{unit.name}已接单，正在办理"}))
            if target == State.CLOSED:
                moment = min(now, moment + timedelta(days=rng.uniform(1, 20)))
                opinion.reply = rng.choice(UNIT_REPLIES)
                entries.append((Step.REPLY, moment, {"from_state": State.HANDLING, "to_state": State.CLOSED,
                                "actor_name": unit.name, "unit": unit, "note": opinion.reply,
                                "public_text": f"{unit.name}已答复，办结"}))
        elif target == State.CLOSED:
            moment = min(now, moment + timedelta(days=rng.uniform(0.5, 10)))
            opinion.reply = rng.choice(ANSWERS)
            entries.append((Step.ANSWER, moment, {"from_state": State.ADOPTED, "to_state": State.CLOSED,
                            "actor": deputy.user, "actor_name": f"{deputy.name}代表", "note": opinion.reply,
                            "public_text": "代表已答复，办结"}))
        elif target == State.CONVERTED:
            moment = min(now, moment + timedelta(days=rng.uniform(1, 10)))
            entries.append((Step.CONVERT, moment, {"from_state": State.ADOPTED, "to_state": State.CONVERTED,
                            "actor": deputy.user, "actor_name": f"{deputy.name}代表",
                            "note": "已形成代表建议", "public_text": "已由代表转为代表建议，按代表建议程序交办"}))
    opinion.state = entries[-1][2]["to_state"]
    if opinion.state in (State.CLOSED, State.CONVERTED):
        opinion.closed_at = moment
        opinion.due_at = None
        if opinion.state == State.CLOSED:
            opinion.replied_at = moment
            if rng.random() < 0.6:
                rating = rng.choices(Rating.values, weights=[70, 22, 8])[0]
                opinion.rating, opinion.rated_at = rating, min(now, moment + timedelta(days=rng.uniform(0.1, 5)))
                entries.append((Step.RATE, opinion.rated_at, {"from_state": State.CLOSED, "to_state": State.CLOSED,
                                "actor_name": "系统", "public_text": f"群众评价：{Rating(rating).label}"}))
    elif opinion.due_at and opinion.due_at < now:
        opinion.overdue_at = min(now, opinion.due_at + timedelta(hours=8))
        entries.append((Step.OVERDUE, opinion.overdue_at, {"from_state": opinion.state, "to_state": opinion.state,
                        "actor_name": "系统", "note": "已逾期，督办"}))
    return opinion, entries


def _date_reception_opinions(rng, now):
    """Opinions just opened for the demo's past receptions: dated at their visit, the recording
    deputy's adoption a little later, and most of the older ones answered since."""
    opened = Opinion.objects.filter(source=Source.RECEPTION, created_at__gte=now - timedelta(minutes=30)).select_related(
        "reception__visit", "adopted_by__user"
    )
    for opinion in opened:
        visit = opinion.reception.visit
        start = timezone.make_aware(datetime.combine(visit.date, visit.start_time))
        if start >= now:
            continue
        entries = list(opinion.timeline.order_by("id"))
        updates = {"created_at": start}
        moment = start
        for entry in entries:
            entry.created_at = moment
            moment = min(now, moment + timedelta(hours=rng.uniform(0.1, 3)))
        TimelineEntry.objects.bulk_update(entries, ["created_at"])
        if opinion.state == State.ADOPTED:
            updates["adopted_at"] = entries[-1].created_at
            updates["due_at"] = services.deadline_after(entries[-1].created_at, settings.OPINION_REPLY_DAYS)
            if (now - start).days > 10 and rng.random() < 0.8:
                answered = min(now, entries[-1].created_at + timedelta(days=rng.uniform(1, 9)))
                reply = rng.choice(ANSWERS)
                updates.update(state=State.CLOSED, reply=reply, replied_at=answered, closed_at=answered, due_at=None)
                deputy = opinion.adopted_by
                TimelineEntry.objects.create(
                    opinion=opinion, step=Step.ANSWER, created_at=answered, from_state=State.ADOPTED,
                    to_state=State.CLOSED, actor=deputy.user if deputy else None,
                    actor_name=f"{deputy.name}代表" if deputy else "", note=reply, public_text="代表已答复，办结",
                )
        else:
            updates["due_at"] = services.deadline_after(start, settings.OPINION_ADOPT_DAYS)
        Opinion.objects.filter(pk=opinion.pk).update(**updates)


@transaction.atomic
def seed():
    rng = random.Random(4)
    now = timezone.now()
    # Follow-up receptions from the stations demo enter the flow (idempotent).
    if services.open_missing_from_receptions():
        _date_reception_opinions(rng, now)
    if Opinion.objects.filter(source=Source.PUBLIC).exists():
        return
    stations = list(
        Station.objects.filter(is_active=True).select_related("township")
        .prefetch_related("memberships__deputy__user").order_by("pk")
    )
    categories = list(Category.objects.filter(is_active=True))
    all_units = list(HandlingUnit.objects.filter(is_active=True).select_related("congress__region"))
    if not stations or not categories or not all_units:
        return
    favourite = next((unit for unit in all_units if unit.name == "县交通运输局"), all_units[0])

    def units_and_favourite(station):
        """A station's opinions go to its own county's or the city's units, never another county's."""
        units = [unit for unit in all_units if unit_serves(unit, station.township)] or all_units
        return units, favourite if favourite in units else units[0]

    # The demo deputy's own stations always have opinions waiting to be taken up, whatever the
    # draw gives the rest: the first thing the manual shows a deputy.
    home = [station for station in stations if any(m.deputy.user_id and m.deputy.user.username == "deputy"
                                                   for m in station.memberships.all())]
    built = []
    for station in home[:1]:
        members = [m.deputy for m in station.memberships.all() if m.deputy.user_id]
        units, demo_unit = units_and_favourite(station)
        for target in (State.SUBMITTED, State.SUBMITTED, State.ADOPTED):
            built.append(_build(rng, now, station, members, rng.choice(categories), units, demo_unit, target))
    for _ in range(COUNT - len(built)):
        station = rng.choice(stations)
        members = [m.deputy for m in station.memberships.all() if m.deputy.user_id]
        units, demo_unit = units_and_favourite(station)
        built.append(_build(rng, now, station, members, rng.choice(categories), units, demo_unit))
    _receive(built)
    Opinion.objects.bulk_create([opinion for opinion, _entries in built])
    TimelineEntry.objects.bulk_create(
        _entry(opinion, step, at, **fields) for opinion, entries in built for step, at, fields in entries
    )
