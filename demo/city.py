"""The rest of the demo city 示范市 (the tree itself is `demo.tree`): a second county-level region,
临江区 (a district of six townships and subdistricts, 行政区划 320198), with its own congress,
deputies, stations, handling units, duty roster, visits, opinions and session suggestions; the
city's congress with its deputies (the demo county's 25 municipal deputies, 临江区's eight, four of
whom also sit in the district's congress) and the city's handling units (市交通运输局 …); and the
logins `city_staff` (the whole city), `county2_staff` (临江区) and `city_deputy` (a city deputy
who also sits in 临江区's congress: one login, both seats). `staff` is bound to 连心县.

It runs after the county parts, so the demo county is exactly what they built; the generic parts
(stations, memberships, roster, visits) are the stations demo's own functions, so a second run of
the county parts finds 临江区's stations and rosters already there. Rows are bulk-inserted; the
suggestions go through the services (numbers, deadlines and timelines as the portal makes them).
Running it again adds nothing."""

import random
from datetime import date, timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role
from demo import names
from demo import opinions as opinions_demo
from demo import stations as stations_demo
from demo import suggestions as suggestions_demo
from demo.foundation import DEMO_PASSWORD, clock
from demo.tree import seed_city, seed_county
from deputies.models import CongressSession, Deputy, DeputyGroup, Level, Seat
from deputies.pinyin import search_keys
from divisions.models import Congress, HandlingUnit, Region, Township, Village
from opinions import services as opinion_services
from opinions.models import Opinion, Source, TimelineEntry
from stations import scheduler
from stations.models import Activity, Category, Station
from suggestions import services as suggestion_services
from suggestions.models import Category as SuggestionCategory
from suggestions.models import Suggestion

DISTRICT_NAME, DISTRICT_CODE, DISTRICT_PREFIX = "临江区", "320198", "临江区"
# 临江区's townships: 街道 are numbered 001–099 in the 行政区划 code, 镇 from 101.
DISTRICT_TOWNSHIPS = [
    ("江滨街道", "subdistrict", "001"), ("滨湖街道", "subdistrict", "002"), ("望江街道", "subdistrict", "003"),
    ("新港镇", "town", "101"), ("临湖镇", "town", "102"), ("枫林镇", "town", "103"),
]
FIRST_SORT_ORDER = 13  # after the demo county's twelve
DISTRICT_PHONES = "1390001"  # 临江区's deputies: 13900010000 …
# 临江区's deputies by level (of 96): the district's, its towns', and the city's.
DISTRICT_LEVELS = [(Level.MUNICIPAL, 8), (Level.COUNTY, 64), (Level.TOWNSHIP, 24)]
DUAL_SEATS = 4  # municipal deputies of 临江区 who also sit in the district's congress
CITY_UNITS = ["市交通运输局", "市教育局", "市卫生健康委员会", "市住房和城乡建设局", "市生态环境局",
              "市农业农村局", "市水利局", "市城市管理局"]
CITY_STAFF, DISTRICT_STAFF, CITY_DEPUTY = "city_staff", "county2_staff", "city_deputy"
DISTRICT_OPINIONS = 60
TERMS = {Level.MUNICIPAL: 17, Level.COUNTY: 18, Level.TOWNSHIP: 18}


def _password():
    """The demo password's hash, made once per hasher (hashing is slow by design)."""
    return _hash(settings.PASSWORD_HASHERS[0])


@cache
def _hash(hasher):  # the hasher in use is the cache key: tests use a fast one
    return make_password(DEMO_PASSWORD)


# --- the district and its townships -------------------------------------------------------


def seed_district(city):
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        district = Region(name=DISTRICT_NAME, level=Region.Level.COUNTY, kind=Region.Kind.DISTRICT,
                          code=DISTRICT_CODE)
        district.save()  # placed under the city, after 连心县
    townships = {t.code: t for t in Township.objects.filter(path__startswith=district.path)}
    missing = []
    for number, (name, kind, suffix) in enumerate(DISTRICT_TOWNSHIPS, start=1):
        code = DISTRICT_CODE + suffix
        if code not in townships:
            missing.append(Township(
                name=name, kind=kind, code=code, sort_order=FIRST_SORT_ORDER + number - 1,
                level=Region.Level.TOWNSHIP, depth=district.depth + 1,
                path=district.path + Region._get_path(None, 1, number),
            ))
    if missing:
        Township.objects.bulk_create(missing)
        Region.objects.filter(pk=district.pk).update(numchild=len(DISTRICT_TOWNSHIPS))
        rng = random.Random(1398)
        villages = []
        for township in missing:
            community = township.kind == Township.Kind.SUBDISTRICT
            for village_name in rng.sample(names.VILLAGE_NAMES, 6):
                villages.append(Village(
                    township=township, name=village_name + ("社区" if community else "村"),
                    kind=Village.Kind.COMMUNITY if community else Village.Kind.VILLAGE,
                ))
        Village.objects.bulk_create(villages)
    townships = list(Township.objects.filter(path__startswith=district.path).order_by("sort_order", "pk"))
    return district, townships


def seed_units(city_congress, district_congress):
    """The district's departments (临江区交通运输局 …) and the city's (市交通运输局 …), each with
    an account (unit_<简称>, as the county's)."""
    wanted = [(DISTRICT_PREFIX + name[1:], "临江" + short, district_congress) for name, short in names.HANDLING_UNITS]
    wanted += [(name, name.replace("运输局", "局").replace("卫生健康委员会", "卫健委")
                .replace("住房和城乡建设局", "住建局"), city_congress) for name in CITY_UNITS]
    existing = set(HandlingUnit.objects.filter(name__in=[n for n, _s, _c in wanted]).values_list("name", flat=True))
    HandlingUnit.objects.bulk_create([
        HandlingUnit(name=name, short_name=short, congress=congress) for name, short, congress in wanted
        if name not in existing
    ])
    units = list(HandlingUnit.objects.filter(name__in=[n for n, _s, _c in wanted]))
    User = get_user_model()
    has_account = set(User.objects.filter(role=Role.UNIT, handling_unit__in=units).values_list("handling_unit_id", flat=True))
    password = _password()
    User.objects.bulk_create([
        User(username=f"unit_{unit.short_name}", name=f"{unit.name} 联络员", role=Role.UNIT, handling_unit=unit,
             password=password)
        for unit in units if unit.pk not in has_account
    ])
    return {unit.name: unit for unit in units}


# --- deputies and seats ---------------------------------------------------------------------


def seed_deputies(townships, city_congress, district_congress):
    """临江区's 96 deputies, one account each, with their seats; the first four municipal deputies
    also sit in the district's congress."""
    existing = Deputy.objects.filter(phone__startswith=DISTRICT_PHONES)
    if existing.exists():
        return list(existing.order_by("phone"))
    rng = random.Random(320198)
    groups = DeputyGroup.objects.bulk_create([
        DeputyGroup(name=f"{t.name}代表小组", kind=DeputyGroup.Kind.TERRITORIAL, township=t) for t in townships
    ])
    group_of = {g.township_id: g for g in groups}
    township_congress = {t.pk: Congress.objects.of(t) for t in townships if t.kind != Township.Kind.SUBDISTRICT}
    levels = [level for level, count in DISTRICT_LEVELS for _ in range(count)]
    rng.shuffle(levels)
    towns = [t for t in townships if t.pk in township_congress]
    rows = []
    for index, level in enumerate(levels):
        # 街道 have no congress: their deputies are the district's or the city's.
        township = towns[index % len(towns)] if level == Level.TOWNSHIP else townships[index % len(townships)]
        female = rng.random() < 0.35
        name = names.person_name(rng, female)
        village = rng.choice(names.VILLAGE_NAMES)
        occupation = rng.choice(names.OCCUPATIONS).format(t=township.name, v=village).replace("县", "区")
        rows.append(Deputy(
            name=name, gender=Deputy.Gender.FEMALE if female else Deputy.Gender.MALE,
            ethnicity=rng.choice(names.ETHNICITIES),
            birth_date=date(rng.randint(1962, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            party=rng.choice(names.PARTIES), level=level, term=TERMS[level],
            constituency=f"第{index % 24 + 1}选区（{township.name}）", township=township, group=group_of[township.pk],
            occupation=occupation, sector=rng.choice(list(Deputy.Sector)), phone=f"{DISTRICT_PHONES}{index:04d}",
            status=Deputy.Status.TERMINATED if index % 97 == 96 else Deputy.Status.ACTIVE,
            search_keys=search_keys(name),
        ))
    deputies = Deputy.objects.bulk_create(rows)
    municipal = [d for d in deputies if d.level == Level.MUNICIPAL and d.is_active]
    dual = municipal[:DUAL_SEATS]
    User = get_user_model()
    password = _password()
    users = User.objects.bulk_create([
        User(username=CITY_DEPUTY if d is dual[0] else d.phone, name=d.name, phone=d.phone, role=Role.DEPUTY,
             password=password, is_active=d.is_active)
        for d in deputies
    ])
    for deputy, user in zip(deputies, users):
        deputy.user = user
    Deputy.objects.bulk_update(deputies, ["user"])

    def congress_of(deputy):
        return {Level.MUNICIPAL: city_congress, Level.COUNTY: district_congress}.get(
            deputy.level) or township_congress[deputy.township_id]

    seats = [
        Seat(deputy=d, level=d.level, term=d.term, constituency=d.constituency, congress=congress_of(d),
             status=Seat.Status.ACTIVE if d.is_active else Seat.Status.ENDED, started_on=date(2022, 1, 10),
             ended_on=None if d.is_active else date(2025, 6, 30),
             end_reason="" if d.is_active else Seat.EndReason.TRANSFERRED)
        for d in deputies
    ]
    seats += [
        Seat(deputy=d, level=Level.COUNTY, term=TERMS[Level.COUNTY], congress=district_congress,
             constituency=f"第{n + 3}选区（{d.township.name}）", started_on=date(2021, 12, 28))
        for n, d in enumerate(dual)
    ]
    Seat.objects.bulk_create(seats)
    for group in groups:
        leader = next((d for d in deputies if d.group_id == group.pk and d.is_active), None)
        group.leader = leader
    DeputyGroup.objects.bulk_update(groups, ["leader"])
    return deputies


def seed_accounts(city, county, district):
    """city_staff (the whole city) and county2_staff (临江区); `staff` is the demo county's."""
    User = get_user_model()
    for username, name, region in [
        (CITY_STAFF, "市人大常委会代表工委 刘洋", city), (DISTRICT_STAFF, "临江区人大常委会代表工委 孙丽", district),
    ]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"name": name, "role": Role.STAFF, "region": region, "password": _password()},
        )
        if not created and user.region_id != region.pk:
            User.objects.filter(pk=user.pk).update(region=region)
    User.objects.filter(username="staff", role=Role.STAFF, region__isnull=True).update(region=county)
    # The county demo's activities are the county's (made before the county staff had a region).
    Activity.objects.filter(region__isnull=True, organizer__username="staff").update(region=county)


# --- stations, roster, visits, opinions -----------------------------------------------------


def seed_stations(townships, today):
    """The stations demo's own stations, memberships, roster and visits, for 临江区's townships."""
    ids = {t.pk for t in townships}
    by_township = {pk: stations for pk, stations in stations_demo.seed_stations().items() if pk in ids}
    stations_demo.seed_memberships(by_township)
    station_ids = [s.pk for stations in by_township.values() for s in stations]
    first = today.replace(day=1)
    for month in (scheduler.add_months(first, -1), first, scheduler.add_months(first, 1)):
        scheduler.schedule_month(month.year, month.month, station_ids=station_ids)
    stations_demo.seed_visits(today)
    return [s for stations in by_township.values() for s in stations]


def seed_opinions(stations, units):
    """Follow-up receptions enter the opinion flow; the public's opinions at 临江区's stations."""
    rng = random.Random(3198)
    now = timezone.now()
    if opinion_services.open_missing_from_receptions():
        opinions_demo._date_reception_opinions(rng, now)
    if Opinion.objects.filter(source=Source.PUBLIC, station__in=stations).exists():
        return
    stations = list(Station.objects.filter(pk__in=[s.pk for s in stations], is_active=True)
                    .prefetch_related("memberships__deputy__user").order_by("pk"))
    categories = list(Category.objects.filter(is_active=True))
    district_units = [u for u in units.values() if u.name.startswith(DISTRICT_PREFIX)]
    lead = units[DISTRICT_PREFIX + "交通运输局"]
    built = []
    for _ in range(DISTRICT_OPINIONS):
        station = rng.choice(stations)
        members = [m.deputy for m in station.memberships.all() if m.deputy.user_id]
        built.append(opinions_demo._build(rng, now, station, members, rng.choice(categories), district_units, lead))
    opinions_demo._receive(built)
    Opinion.objects.bulk_create([opinion for opinion, _entries in built])
    TimelineEntry.objects.bulk_create(
        opinions_demo._entry(opinion, step, at, **fields) for opinion, entries in built for step, at, fields in entries
    )


# --- sessions and suggestions ---------------------------------------------------------------

# Topics that read true in a district and a city (the county's topics name 县城).
TOPICS = [i for i, topic in enumerate(suggestions_demo.TOPICS) if "县" not in topic[1] + topic[2] + topic[3]]
DISTRICT_FATES = ["closed"] * 5 + ["evaluated"] * 2 + ["closed_after_rehandling", "overdue", "rehandling"]
CITY_FATES = ["closed"] * 3 + ["evaluated", "overdue"]


class CongressStory(suggestions_demo.Story):
    """The county demo's story for another congress: drafts go to `congress`, units are that
    congress's (市交通运输局 for 县交通运输局)."""

    def __init__(self, rng, staff, units, deputies, *, congress, unit_prefix, supervisor):
        super().__init__(rng, staff, units, deputies)
        self.congress, self.unit_prefix, self.supervisor = congress, unit_prefix, supervisor

    def unit(self, county_name):
        return HandlingUnit.objects.filter(name=self.unit_prefix + county_name[1:], congress=self.congress).first()

    def draft(self, day, lead, topic_index, cosigners=(), kind=None, confirm=True):
        category, title, problem, ask, *_units = suggestions_demo.TOPICS[topic_index]
        text = {"t": lead.township.name, "v": self.rng.choice(["东山", "西湖", "南岗", "北庄", "长岭", "桃园"])}
        content = f"{problem.format(**text)}。群众多次向代表反映，意见比较集中。\n建议：{ask.format(**text)}。"
        with clock(day, 9, self.rng.randrange(60)):
            suggestion = suggestion_services.create_draft(
                by=lead.user, title=title.format(**text), content=content, congress=self.congress,
                category=SuggestionCategory.objects.get(name=category), cosigners=list(cosigners),
            )
        for deputy in cosigners if confirm else ():
            with clock(day, 11, self.rng.randrange(60)):
                suggestion_services.confirm_cosign(suggestion, by=deputy.user)
        self.topics[suggestion.pk] = topic_index
        return suggestion

    def assign(self, suggestion, day):
        *_rest, lead_unit, co_units = suggestions_demo.TOPICS[self.topics[suggestion.pk]]
        lead = self.unit(lead_unit) or self.unit("县交通运输局")  # the city has fewer departments
        co = [unit for unit in (self.unit(name) for name in co_units) if unit is not None and unit != lead]
        with clock(day, 15):
            return suggestion_services.assign_suggestion(
                suggestion, by=self.staff, lead_unit=lead, co_units=co, note="请认真办理，按期答复。",
            )

    def supervise(self, suggestion, day, months):
        with clock(day, 10):
            suggestion_services.mark_key_supervision(
                suggestion, by=self.staff, supervisor=self.supervisor, note="列为年度重点督办建议，请每月报送办理进展。",
            )
        for month in months:
            with clock(date(2026, month, 3), 10):
                suggestion_services.post_progress(suggestion, by=self.unit_user(suggestion),
                                                  text=f"{month}月：已完成现场调研和方案编制，正在推进实施。")


def seed_session(congress, *, name, days, term):
    session, _ = CongressSession.objects.get_or_create(
        congress=congress, term=term, number=5, defaults={"name": name, "start_date": days[0], "end_date": days[-1]},
    )
    return session


def play(story, fates, deputies, days):
    """Session suggestions (submitted during the session, accepted, then each to its fate)."""
    rng = story.rng
    for index, fate in enumerate(fates):
        lead = deputies[index * 7 % len(deputies)]
        cosigners = [d for d in rng.sample(deputies, 3) if d.pk != lead.pk][: rng.choice([0, 1, 2])]
        # Submitted one after another, so the numbers follow the order of submission.
        day = days[index * len(days) // len(fates)]
        suggestion = story.draft(day, lead, rng.choice(TOPICS), cosigners)
        with clock(day, 17, index):
            suggestion = suggestion_services.submit_suggestion(suggestion, by=lead.user)
        with clock(days[-1] + timedelta(days=8), 10):
            suggestion = suggestion_services.accept_suggestion(suggestion, by=story.staff, note="符合立案要求。")
        story.play_session(suggestion, fate)


def seed_suggestions(city_congress, district_congress, units):
    district_days = [date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 8)]
    city_days = [date(2026, 1, 13), date(2026, 1, 14), date(2026, 1, 15), date(2026, 1, 16)]
    seed_session(district_congress, name="临江区第十八届人民代表大会第五次会议", days=district_days, term=18)
    seed_session(city_congress, name="示范市第十七届人民代表大会第五次会议", days=city_days, term=17)
    if Suggestion.objects.filter(congress__in=[city_congress, district_congress]).exists():
        return
    User = get_user_model()
    unit_users = suggestions_demo.seed_unit_accounts()

    def seated(congress):
        return list(
            Deputy.objects.filter(seats__congress=congress, seats__status=Seat.Status.ACTIVE, user__is_active=True)
            .select_related("user", "township").order_by("phone").distinct()
        )

    rng = random.Random(2027)
    district = CongressStory(rng, User.objects.get(username=DISTRICT_STAFF), unit_users, seated(district_congress),
                             congress=district_congress, unit_prefix=DISTRICT_PREFIX,
                             supervisor="临江区人大常委会副主任 郑海波")
    play(district, DISTRICT_FATES, district.deputies, district_days)
    city = CongressStory(rng, User.objects.get(username=CITY_STAFF), unit_users, seated(city_congress),
                         congress=city_congress, unit_prefix="市", supervisor="市人大常委会副主任 黄建华")
    play(city, CITY_FATES, city.deputies, city_days)


def seed():
    today = timezone.localdate()
    city = seed_city()
    county = seed_county(city)
    city_congress = Congress.objects.of(city)
    district, townships = seed_district(city)
    district_congress = Congress.objects.of(district)
    units = seed_units(city_congress, district_congress)
    seed_deputies(townships, city_congress, district_congress)
    seed_accounts(city, county, district)
    stations = seed_stations(townships, today)
    seed_opinions(stations, units)
    seed_suggestions(city_congress, district_congress, units)
    return {"city": city, "district": district}
