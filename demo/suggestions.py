"""Demo suggestions: the 2026 session (县第十八届人民代表大会第五次会议, 8–11 January) with about
170 suggestions in every state of the loop, about 20 raised in recess since August, and an
account for every handling unit (`unit` is 县交通运输局's; the others are unit_<简称>, e.g. unit_教育局).

Everything goes through the services, so numbers, timelines, deadlines and notices are exactly
what the portal would have produced; the services stamp "now", so each step runs with the clock
set to its day (django.utils.timezone.now patched for the call). The demo deputy (`deputy`) has
a draft, one waiting for review, one being handled by 县交通运输局, a reply to evaluate and a
co-signing invitation. Running it again adds nothing."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from demo.foundation import clock
from deputies.models import CongressSession, Deputy, Level
from divisions.models import Congress, HandlingUnit
from suggestions import services
from suggestions.models import Category, Kind, Rating, Suggestion

PASSWORD = "lianxin-demo"
SESSION_DAYS = [date(2026, 1, 8), date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 11)]

# (category, title, what people face, what the deputy asks, lead unit, co-units)
TOPICS = [
    ("交通运输", "关于改造{t}至县城公路的建议", "{t}至县城公路路面破损、会车困难，雨天事故多发",
     "将该路段列入年度农村公路提档升级计划，拓宽并修复路面", "县交通运输局", ["县财政局"]),
    ("交通运输", "关于增开{t}城乡公交班次的建议", "{t}到县城的公交每天只有四班，早上7点前没有车，务工人员和学生出行不便",
     "增开早晚高峰班次，优化站点设置", "县交通运输局", []),
    ("交通运输", "关于修复{t}{v}村道桥梁的建议", "{v}村的村道桥梁建于上世纪八十年代，桥面开裂，重车不敢通行",
     "对桥梁进行安全检测并尽快加固改造", "县交通运输局", ["县农业农村局"]),
    ("交通运输", "关于在{t}中心小学门口设置交通信号灯的建议", "{t}中心小学门口车流量大，上下学时段学生过马路危险",
     "设置信号灯、减速带和护学岗", "县公安局", ["县交通运输局", "县教育局"]),
    ("教育科技", "关于改善{t}乡村学校办学条件的建议", "{t}部分村小校舍老化，运动场地不足，教学设备陈旧",
     "加大投入，分批改造校舍、更新设备", "县教育局", ["县财政局"]),
    ("教育科技", "关于扩大{t}公办幼儿园学位的建议", "{t}适龄儿童增加，公办幼儿园学位紧张，很多孩子报不上名",
     "新建或扩建公办幼儿园", "县教育局", ["县住房和城乡建设局"]),
    ("医疗卫生", "关于加强{t}村卫生室建设的建议", "{t}部分村卫生室只有一名乡村医生，常用药配备不全",
     "充实乡村医生队伍，完善基本药物配备", "县卫生健康委员会", []),
    ("医疗卫生", "关于提升{t}卫生院急诊能力的建议", "{t}卫生院夜间和周末急诊力量薄弱，群众看急诊要跑县城",
     "增加急诊值班人员，配齐急救设备", "县卫生健康委员会", ["县人力资源和社会保障局"]),
    ("生态环境", "关于整治{t}{v}河道污染的建议", "{v}段河道垃圾漂浮，夏天气味大，周边养殖污水直排",
     "开展河道综合整治，查处直排行为", "县生态环境分局", ["县水利局", "县农业农村局"]),
    ("生态环境", "关于加快{t}农村生活污水治理的建议", "{t}多个村生活污水直排沟渠，水体发黑发臭",
     "加快建设农村生活污水处理设施并落实运维", "县住房和城乡建设局", ["县生态环境分局"]),
    ("农业农村", "关于修缮{t}农田灌溉渠的建议", "{t}农田灌溉渠年久失修，放水时渗漏严重，影响春耕",
     "将灌溉渠修缮列入小型水利工程计划", "县水利局", ["县农业农村局"]),
    ("农业农村", "关于扶持{t}特色农产品品牌建设的建议", "{t}茶叶、葡萄品质好但缺少品牌，卖不上价",
     "扶持区域公用品牌，组织产销对接", "县农业农村局", ["县市场监督管理局"]),
    ("社会保障", "关于在{t}开办老年助餐点的建议", "{t}留守老人多，吃饭难问题突出",
     "依托村级服务中心开办老年助餐点", "县民政局", []),
    ("社会保障", "关于提高{t}灵活就业人员参保率的建议", "{t}灵活就业人员参保意识不强，参保率偏低",
     "加强政策宣传，简化参保手续", "县人力资源和社会保障局", []),
    ("城乡建设", "关于改造{t}老旧小区的建议", "{t}部分小区建成二十多年，管网老化，没有停车位",
     "纳入老旧小区改造计划", "县住房和城乡建设局", ["县城市管理局"]),
    ("城乡建设", "关于完善{t}集镇路灯照明的建议", "{t}集镇部分路段没有路灯，夜间出行不安全",
     "补齐路灯并落实日常维护", "县城市管理局", ["县供电公司"]),
    ("城乡建设", "关于解决{t}农村供电不稳的建议", "{t}部分村夏季用电高峰时电压不稳，经常跳闸",
     "改造农村电网，增容变压器", "县供电公司", []),
    ("经济发展", "关于支持{t}小微企业融资的建议", "{t}小微企业融资难、融资贵，影响扩大生产",
     "完善政府性融资担保，推广信用贷款", "县财政局", ["县市场监督管理局"]),
    ("文化旅游", "关于开发{t}乡村旅游线路的建议", "{t}山水资源丰富，但旅游线路和配套设施不足",
     "规划乡村旅游精品线路，完善停车和公厕等配套", "县文化广电和旅游局", ["县交通运输局"]),
    ("政法综治", "关于加强{t}电信诈骗防范宣传的建议", "{t}老年人受骗案件时有发生",
     "进村入户开展防诈宣传", "县公安局", []),
]
TRANSPORT_TOPICS = [i for i, topic in enumerate(TOPICS) if topic[4] == "县交通运输局"]

REPLIES = {
    "A": "经研究，您提出的建议已采纳并已办理完成。{ask}，相关工作已于近期落实到位。感谢您对我们工作的关心和支持。",
    "B": "您的建议很有价值。我单位已将“{ask}”列入明年工作计划，目前正在开展前期工作，预计明年内完成。",
    "C": "经认真研究，受资金和规划条件限制，“{ask}”暂时难以实施，我们将作为今后工作的参考，积极争取条件逐步解决。",
}

# The session's suggestions by what has happened to them (about 170).
SESSION_FATES = (
    ["closed"] * 112 + ["closed_after_rehandling"] * 6 + ["closed_after_hearing"] * 2
    + ["evaluated"] * 12 + ["replied_late"] * 3 + ["rehandling"] * 3 + ["rehandling_overdue"] * 2
    + ["hearing"] * 3 + ["overdue"] * 6 + ["reference"] * 8 + ["merged"] * 4 + ["withdrawn"] * 2
)
# Recess suggestions since August (about 20).
RECESS_FATES = (
    ["draft"] * 3 + ["submitted"] * 5 + ["accepted"] * 3 + ["assigned"] * 6 + ["replied"] * 3 + ["closed"] * 2
)


def pdf(title):
    body = f"%PDF-1.4\n% {title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return ContentFile(body.encode(), name="reply.pdf")


def seed_unit_accounts():
    """One account per handling unit; the demo `unit` (县交通运输局) exists already."""
    User = get_user_model()
    password = make_password(PASSWORD)
    accounts = {}
    for unit in HandlingUnit.objects.filter(is_active=True):
        user = User.objects.filter(role=Role.UNIT, handling_unit=unit, is_active=True).order_by("pk").first()
        if user is None:
            # The same convention as the votes demo (unit_教育局), whichever part runs first.
            user, _ = User.objects.get_or_create(
                username=f"unit_{unit.short_name or unit.pk}",
                defaults={"name": f"{unit.name} 联络员", "role": Role.UNIT,
                          "handling_unit": unit, "password": password},
            )
        accounts[unit.name] = user
    return accounts


class Story:
    """Drives one suggestion through its fate with the clock moved to each step's day."""

    def __init__(self, rng, staff, units, deputies):
        self.rng, self.staff, self.units, self.deputies = rng, staff, units, deputies
        self.published = 0
        self.topics = {}  # suggestion id -> index in TOPICS

    def draft(self, day, lead, topic_index, cosigners=(), kind=Kind.SUGGESTION, confirm=True):
        category, title, problem, ask, *_units = TOPICS[topic_index]
        township = lead.township.name
        village = self.rng.choice(["东山", "西湖", "南岗", "北庄", "长岭", "石桥", "桃园", "杨柳"])
        text = {"t": township, "v": village}
        content = (
            f"{problem.format(**text)}。群众多次向代表反映，意见比较集中。\n"
            f"建议：{ask.format(**text)}。"
        )
        with clock(day, 9, self.rng.randrange(60)):
            suggestion = services.create_draft(
                by=lead.user, title=title.format(**text), content=content,
                category=Category.objects.get(name=category), kind=kind, cosigners=list(cosigners),
            )
        if confirm:
            for deputy in cosigners:
                with clock(day, 11, self.rng.randrange(60)):
                    services.confirm_cosign(suggestion, by=deputy.user)
        self.topics[suggestion.pk] = topic_index
        return suggestion

    def assign(self, suggestion, day):
        *_rest, lead_unit, co_units = TOPICS[self.topics[suggestion.pk]]
        with clock(day, 15):
            return services.assign_suggestion(
                suggestion, by=self.staff, lead_unit=HandlingUnit.objects.get(name=lead_unit),
                co_units=list(HandlingUnit.objects.filter(name__in=co_units)),
                note="请认真办理，按期答复。",
            )

    def unit_user(self, suggestion):
        return self.units[suggestion.lead_unit.name]

    def reply(self, suggestion, day, result_class=None):
        unit_user = self.unit_user(suggestion)
        ask = TOPICS[self.topics[suggestion.pk]][3].format(t=suggestion.township.name, v="")
        for co in suggestion.assignments.filter(role="co").select_related("unit"):
            with clock(day - timedelta(days=12), 16):
                services.send_co_unit_input(suggestion, by=self.units[co.unit.name],
                                            text=f"{co.unit.name}将积极配合，负责职责范围内的相关工作。")
        with clock(day - timedelta(days=self.rng.randint(5, 20)), 10):
            services.record_contact(
                suggestion, by=unit_user, contacted_on=timezone.localdate(),
                method=self.rng.choice(["meeting", "phone", "site", "forum"]),
                note="向领衔代表介绍办理思路，听取代表意见。",
            )
        result_class = result_class or self.rng.choices(["A", "B", "C"], weights=[62, 30, 8])[0]
        with clock(day, 14):
            return services.reply_suggestion(
                suggestion, by=unit_user, result_class=result_class, text=REPLIES[result_class].format(ask=ask),
                attachment=pdf(suggestion.title), contact_person=unit_user.name.split()[-1],
                contact_phone=f"0510-8{self.rng.randrange(1000000):07d}",
            )

    def evaluate(self, suggestion, day, rating):
        comment = {Rating.UNSATISFIED: "问题没有实质性解决，群众仍有意见，希望重新办理。",
                   Rating.BASIC: "基本解决，希望抓紧落实后续工作。", Rating.SATISFIED: ""}[rating]
        with clock(day, 19):
            return services.evaluate_suggestion(suggestion, by=suggestion.lead_deputy.user, rating=rating, comment=comment)

    def close(self, suggestion, day):
        with clock(day, 10):
            suggestion = services.close_suggestion(suggestion, by=self.staff)
        if self.published < 30 and suggestion.reply_class == "A":
            with clock(day + timedelta(days=10), 10):
                services.publish_reply(suggestion, by=self.staff)
            self.published += 1
        return suggestion

    def supervise(self, suggestion, day, months):
        with clock(day, 10):
            services.mark_key_supervision(
                suggestion, by=self.staff, supervisor=self.rng.choice(
                    ["县人大常委会主任 赵建国", "县人大常委会副主任 钱立新", "县人大常委会副主任 孙红梅"]),
                note="列为年度重点督办建议，请每月报送办理进展。",
            )
        for month in months:
            with clock(date(2026, month, 3), 10):
                services.post_progress(suggestion, by=self.unit_user(suggestion),
                                       text=f"{month}月：已完成现场调研和方案编制，正在推进实施。")

    def extend(self, suggestion, request_day, until):
        with clock(request_day, 10):
            services.request_extension(suggestion, by=self.unit_user(suggestion), until=until,
                                       reason="涉及项目立项和资金安排，需要更多时间。")
        with clock(request_day + timedelta(days=2), 10):
            return services.grant_extension(suggestion, by=self.staff, note="同意延期，请抓紧办理。")

    def day(self, start, spread):
        return start + timedelta(days=self.rng.randrange(spread))

    def play_session(self, suggestion, fate):
        """What happens after 交办 (early February) to a session suggestion."""
        rng = self.rng
        s = self.assign(suggestion, self.day(date(2026, 2, 3), 4))
        assigned = timezone.localtime(s.assigned_at).date()
        if rng.random() < 0.08 or fate == "overdue":
            # Monthly progress until the reply (replies come from 20 March on).
            self.supervise(s, assigned + timedelta(days=7), [3] if fate != "overdue" else [3, 4, 5, 6, 7, 8])
        if fate in ("overdue", "replied_late", "rehandling", "rehandling_overdue", "hearing"):
            s = self.extend(s, date(2026, 4, 20), s.max_deadline - timedelta(days=self.rng.randrange(10)))
            if fate == "overdue":
                return s
            if fate == "replied_late":
                return self.reply(s, self.day(date(2026, 11, 2), 18))
            first = {"rehandling": date(2026, 10, 8), "rehandling_overdue": date(2026, 9, 8), "hearing": date(2026, 7, 20)}[fate]
            s = self.reply(s, self.day(first, 5))
            s = self.evaluate(s, first + timedelta(days=30 if fate != "hearing" else 12), Rating.UNSATISFIED)
            if fate != "hearing":
                return s
            s = self.reply(s, date(2026, 9, 10), "B")
            return self.evaluate(s, date(2026, 9, 25), Rating.UNSATISFIED)
        late = rng.random() < 0.07
        s = self.reply(s, self.day(date(2026, 5, 8), 12) if late else self.day(date(2026, 3, 20), 40))
        replied = timezone.localtime(s.replied_at).date()
        if fate in ("closed_after_rehandling", "closed_after_hearing"):
            s = self.evaluate(s, replied + timedelta(days=10), Rating.UNSATISFIED)
            s = self.reply(s, replied + timedelta(days=35), "B" if fate == "closed_after_hearing" else "A")
            if fate == "closed_after_hearing":
                s = self.evaluate(s, replied + timedelta(days=45), Rating.UNSATISFIED)
                with clock(replied + timedelta(days=70), 10):
                    return services.record_hearing(
                        s, by=self.staff, kind=rng.choice(["hearing", "review"]), held_on=timezone.localdate(),
                        conclusion="经听证评议，承办单位已尽力办理，受客观条件限制，明年继续推进并向代表报告。",
                    )
            s = self.evaluate(s, replied + timedelta(days=45), Rating.BASIC)
            return self.close(s, replied + timedelta(days=60))
        rating = Rating.SATISFIED if rng.random() < 0.8 else Rating.BASIC
        s = self.evaluate(s, replied + timedelta(days=rng.randint(5, 30)), rating)
        if fate == "evaluated":
            return s
        return self.close(s, date(2026, 7, 1) + timedelta(days=rng.randrange(30)))


def seed_session(story, deputies, demo_deputy, rng):
    fates = list(SESSION_FATES)
    rng.shuffle(fates)
    staff = story.staff
    drafts = []
    submitted_on = {}
    for index, fate in enumerate(fates):
        lead = demo_deputy if index < 4 else rng.choice(deputies)
        topic = rng.choice(TRANSPORT_TOPICS) if index < 4 or rng.random() < 0.2 else rng.randrange(len(TOPICS))
        others = [d for d in rng.sample(deputies, 4) if d.pk != lead.pk][: rng.choice([0, 0, 1, 2, 3])]
        kind = Kind.SUGGESTION
        if index in (10, 11):  # two motions (议案), each with ten deputies
            kind, others = Kind.MOTION, [d for d in rng.sample(deputies, 12) if d.pk != lead.pk][:10]
        day = SESSION_DAYS[index * len(SESSION_DAYS) // len(fates)]
        suggestion = story.draft(day, lead, topic, others, kind)
        # Submitted one after another through the afternoon: numbers follow submission times.
        earlier = submitted_on.setdefault(day, 0)
        submitted_on[day] += 1
        with clock(day, 14 + earlier // 60, earlier % 60):
            suggestion = services.submit_suggestion(suggestion, by=lead.user)
        drafts.append((suggestion, fate))
    kept = []
    for suggestion, fate in drafts:
        topic = story.topics[suggestion.pk]
        if fate == "withdrawn":
            with clock(date(2026, 1, 12), 9):
                services.withdraw_suggestion(suggestion, by=suggestion.lead_deputy.user, reason="与其他代表的建议重复，撤回。")
        elif fate == "reference":
            with clock(story.day(date(2026, 1, 19), 4), 10):
                services.convert_to_reference(
                    suggestion, by=staff, reason="所提问题属于具体工作意见，转有关部门参阅研究。"
                )
        elif fate == "merged" and kept:
            same_topic = [s for s, f in kept if story.topics[s.pk] == topic]
            target = same_topic[0] if same_topic else kept[0][0]
            with clock(date(2026, 1, 20), 11):
                services.merge_suggestion(suggestion, by=staff, into=target, note="内容相同，并案办理。")
        else:
            with clock(story.day(date(2026, 1, 19), 4), 10):
                suggestion = services.accept_suggestion(suggestion, by=staff, note="符合立案要求。")
                kept.append((suggestion, "closed" if fate == "merged" else fate))
    for suggestion, fate in kept:
        story.play_session(suggestion, fate)


def seed_recess(story, deputies, demo_deputy, rng):
    """Suggestions raised in the last four months, in the early states; the demo deputy's among them."""
    staff = story.staff
    today = timezone.localdate()
    demo_fates = {"draft", "submitted", "assigned", "replied"}
    plan = []
    for index, fate in enumerate(RECESS_FATES):
        # Days before today, so that every step has happened by now whatever the date.
        start = today - timedelta(days={"draft": 6, "submitted": 12, "accepted": 22, "assigned": 92,
                                        "replied": 106, "closed": 113}[fate])
        plan.append((min(start + timedelta(days=index % 5), today - timedelta(days=1)), index, fate))
    # Submitted (and so numbered) in the order of their days, as deputies would have.
    plan.sort()
    for start, index, fate in plan:
        mine = fate in demo_fates  # the demo deputy leads the first of each of these
        demo_fates.discard(fate)
        lead = demo_deputy if mine else rng.choice(deputies)
        topic = rng.choice(TRANSPORT_TOPICS) if mine else rng.randrange(len(TOPICS))
        suggestion = story.draft(start, lead, topic, [d for d in rng.sample(deputies, 2) if d.pk != lead.pk][:1])
        if fate == "draft":
            continue
        with clock(start, 17):
            suggestion = services.submit_suggestion(suggestion, by=lead.user)
        if fate == "submitted":
            continue
        with clock(start + timedelta(days=4), 10):
            suggestion = services.accept_suggestion(suggestion, by=staff)
        if fate == "accepted":
            continue
        suggestion = story.assign(suggestion, start + timedelta(days=8 + 4 * (index % 6)))
        if fate == "assigned":
            continue
        suggestion = story.reply(suggestion, min(start + timedelta(days=75), today - timedelta(days=3)))
        if fate == "closed":
            suggestion = story.evaluate(suggestion, today - timedelta(days=2), Rating.SATISFIED)
            story.close(suggestion, today - timedelta(days=1))
    # The demo deputy is invited to co-sign a colleague's draft.
    colleague = next(d for d in deputies if d.pk != demo_deputy.pk)
    story.draft(today - timedelta(days=1), colleague, rng.randrange(len(TOPICS)), [demo_deputy], confirm=False)


def seed():
    units = seed_unit_accounts()
    session = CongressSession.objects.filter(congress=Congress.objects.default(), term=18, number=5).first()
    if session is None or Suggestion.objects.exists():
        return
    User = get_user_model()
    staff = User.objects.get(username="staff")
    demo_deputy = Deputy.objects.select_related("user", "township").get(user__username="deputy")
    deputies = list(
        Deputy.objects.filter(level=Level.COUNTY, status=Deputy.Status.ACTIVE, user__is_active=True)
        .exclude(pk=demo_deputy.pk).select_related("user", "township").order_by("phone")
    )
    rng = random.Random(2026)
    story = Story(rng, staff, units, deputies)
    seed_session(story, deputies, demo_deputy, rng)
    seed_recess(story, deputies, demo_deputy, rng)
    # Today's reminders and overdue flags, as the daily task would have sent them.
    services.send_deadline_reminders()
