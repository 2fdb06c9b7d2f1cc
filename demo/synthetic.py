"""Synthetic data sets at county, city and province scale (`manage.py generate_synthetic`).

Sizes come from the domain brief (a city like Wuxi: 8,300 deputies of five levels, 1,400
stations; a year has 13,000 visits, 28,000 receptions, 36,000 opinions and about 3,000
suggestions). A county is a tenth of a city and a province ten cities; `factor` scales from the
city (county 0.1, province 10; tests use a few thousandths).

The data cover the two full calendar years before `today` and this year up to `today`, with the
yearly figures in proportion, so every list, dashboard and report has real rows for any year it
offers. Everything is drawn from one `random.Random(seed)`: the same seed and the same `today`
give the same rows (codes, tracking codes and ballot ids included).

Rows are written with bulk inserts, but with the values the services write: each opinion and
suggestion is replayed step by step along the transitions of its app (`opinions.models.TRANSITIONS`,
`suggestions.models.TRANSITIONS`) up to `today`, writing the same fields, timeline entries and
deadlines as the service functions, so a record in any state looks as if people had moved it
there. The duty roster is built by the real scheduler (`stations.scheduler.schedule_month`), the
vote counts by the real tally (`votes.services.ballots.vote_result`). Townships carry codes
starting with `SYN`, which is how `generate_synthetic` recognises a synthetic database."""

import random
import time as timer
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEntry
from core.search import rebuild_search_vectors
from demo import names
from demo import synthetic_text as text
from deputies.models import CongressSession, Deputy, DeputyGroup, Level, Seat, SessionAttendance
from deputies.pinyin import search_keys
from divisions.models import Congress, HandlingUnit, Region, Township, Village
from notifications.models import Notification
from opinions import models as om
from points.services import ensure_rules
from reports.models import Award
from stations import models as sm
from stations.scheduler import schedule_month
from suggestions import models as gm
from suggestions.models import add_months
from votes import models as vm
from votes import tally
from votes.services.ballots import vote_result

SYNTHETIC_CODE_PREFIX = "SYN"
PASSWORD = "lianxin-demo"
SCALES = {"county": 0.1, "city": 1.0, "province": 10.0}

# A city's figures (the domain brief; townships, units, activities and materials are this
# module's assumptions: Wuxi has about 80 townships and subdistricts).
CITY = {
    "counties": 8, "townships": 90, "units": 108, "deputies": 8300, "stations": 1400,
    "visits": 13000, "receptions": 28000, "opinions": 36000, "suggestions": 3000,
    "activities": 3162, "signups_per_activity": 6, "materials": 52,
}
# Fewest of each, so that even a tiny test data set has every shape.
MINIMUM = {
    "townships": 3, "units": 6, "deputies": 40, "stations": 6, "visits": 40, "receptions": 80,
    "opinions": 90, "suggestions": 60, "activities": 12, "materials": 6,
}
LEVEL_SHARES = [
    (Level.COUNTY, 45), (Level.TOWNSHIP, 40), (Level.MUNICIPAL, 10), (Level.PROVINCIAL, 4), (Level.NATIONAL, 1),
]
TERMS = {Level.NATIONAL: 14, Level.PROVINCIAL: 14, Level.MUNICIPAL: 17, Level.COUNTY: 18, Level.TOWNSHIP: 18}
PROFESSIONAL_GROUPS = ["农业农村", "教育科技", "财政经济", "社会建设", "生态环境", "法治建设"]
CHINESE_NUMBERS = "一二三四五六七八九十"
# (outcome, days before today it is submitted): a suggestion still open in that state now. The
# days allow the slowest path: accepted within 10 days, assigned within 7 more, replied within
# 160 days (a late unit), evaluated within 20 days, answered again within 28 and evaluated
# again within 15; an assigned one is past its three-month deadline.
OPEN_STATES = [("submitted", 1), ("accepted", 12), ("assigned", 115), ("replied", 180),
               ("evaluated", 200), ("rehandling", 200), ("hearing", 245)]


def aware(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@contextmanager
def explicit_timestamps(*specs):
    """Let bulk inserts keep the historical times we give (auto_now/auto_now_add would stamp
    the time of generation). `specs` are (model, field name) pairs."""
    saved = []
    for model, name in specs:
        model_field = model._meta.get_field(name)
        saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


@dataclass
class Sizes:
    factor: float
    years: float  # how many years of records the window holds (two and a part)

    def of(self, key):
        return max(MINIMUM.get(key, 1), round(CITY[key] * self.factor))

    def per_window(self, key):
        return max(MINIMUM.get(key, 1), round(CITY[key] * self.factor * self.years))


@dataclass
class Result:
    counts: dict = field(default_factory=dict)
    timings: list = field(default_factory=list)
    counties: int = 1


class Generator:
    def __init__(self, *, factor, seed, today=None, batch_size=2000, log=None, counties=None):
        self.factor = factor
        # A county data set (county scale and the tests' tiny ones) is one county; a city's has
        # its counties and districts under the city.
        self.counties = counties or (1 if factor <= 0.1 else max(2, round(CITY["counties"] * min(factor, 1))))
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        # Records run up to the start of `today`, so a data set depends on the date alone.
        self.now = aware(self.today, 0)
        self.start = date(self.today.year - 2, 1, 1)
        self.sizes = Sizes(factor, (self.today - self.start).days / 365)
        self.batch = batch_size
        self.log = log or (lambda message: None)
        self.result = Result()
        self.holidays = {}

    # --- helpers ----------------------------------------------------------------------------

    def bulk(self, model, rows):
        created = model.objects.bulk_create(rows, batch_size=self.batch)
        self.result.counts[model._meta.label] = self.result.counts.get(model._meta.label, 0) + len(created)
        return created

    def day_in(self, first, last):
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))

    def moment_in(self, first, last):
        """A moment between two aware datetimes (never after now)."""
        last = min(last, self.now)
        if last <= first:
            return last
        return first + timedelta(seconds=self.rng.randint(0, int((last - first).total_seconds())))

    def phone(self):
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"

    def code(self, alphabet, length, taken):
        while True:
            value = "".join(self.rng.choice(alphabet) for _ in range(length))
            if value not in taken:
                taken.add(value)
                return value

    def working_days_after(self, day, days):
        from stations.scheduler import is_working_day

        left = days
        while left > 0:
            day += timedelta(days=1)
            if is_working_day(day, self.holidays):
                left -= 1
        return day

    def deadline_after(self, moment, days):
        """opinions.services.deadline_after without a query per call (holidays preloaded)."""
        last = self.working_days_after(timezone.localtime(moment).date(), days)
        return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))

    def step(self, label, function):
        started = timer.perf_counter()
        function()
        elapsed = timer.perf_counter() - started
        self.result.timings.append((label, elapsed))
        self.log(f"  {label}: {elapsed:.1f} s")

    # --- the whole data set -----------------------------------------------------------------

    def run(self):
        with transaction.atomic():
            for label, function in [
                ("reference", self.reference_data),
                ("divisions", self.divisions),
                ("accounts", self.accounts),
                ("sessions", self.sessions),
                ("deputies", self.deputies),
                ("stations", self.stations),
                ("attendance", self.session_attendance),
                ("duty", self.duty),
                ("visits", self.visits),
                ("opinions", self.opinions),
                ("suggestions", self.suggestions),
                ("activities", self.activities),
                ("votes", self.votes),
                ("notifications", self.notifications),
                ("audit", self.audit),
            ]:
                self.step(label, function)
        return self.result

    # --- reference data ---------------------------------------------------------------------

    def reference_data(self):
        station_categories = import_module("stations.migrations.0002_default_categories_and_duty_rule")
        for order, name in enumerate(station_categories.CATEGORIES, start=1):
            sm.Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
        suggestion_categories = import_module("suggestions.migrations.0002_default_categories")
        for order, name in enumerate(suggestion_categories.DEFAULT_CATEGORIES, start=1):
            gm.Category.objects.get_or_create(name=name, defaults={"sort_order": order})
        self.default_rule, _created = sm.DutyRule.objects.get_or_create(
            is_default=True,
            defaults={"name": station_categories.DEFAULT_RULE, "kind": sm.DutyRule.Kind.DAYS_OF_MONTH,
                      "days": list(settings.DUTY_DEFAULT_DAYS), "deputies_per_shift": 2},
        )
        self.weekday_rule, _created = sm.DutyRule.objects.get_or_create(
            name="每月第三周星期二",
            defaults={"kind": sm.DutyRule.Kind.NTH_WEEKDAY, "week": 3, "weekday": 1, "deputies_per_shift": 2,
                      "start_time": time(14, 30), "end_time": time(17, 0)},
        )
        # Next years' public holidays: listed, as staff do, without moving any past duty day.
        holidays = []
        for year in (self.today.year + 1, self.today.year + 2):
            holidays += [sm.Holiday(date=date(year, 1, 1), name="元旦"),
                         sm.Holiday(date=date(year, 5, 1), name="劳动节")]
            holidays += [sm.Holiday(date=date(year, 10, d), name="国庆节") for d in (1, 2, 3)]
        self.bulk(sm.Holiday, [h for h in holidays if not sm.Holiday.objects.filter(date=h.date).exists()])
        from core import calendar

        # The State Council's calendar plus the listed days, read once (core.calendar).
        self.holidays = calendar.window(self.start, date(self.today.year + 3, 1, 1)).kinds()
        self.categories = list(sm.Category.objects.filter(is_active=True).order_by("sort_order", "pk"))
        self.suggestion_categories = list(gm.Category.objects.filter(is_active=True).order_by("sort_order", "pk"))
        for year in range(self.start.year, self.today.year + 1):
            ensure_rules(year)

    # --- divisions and accounts -------------------------------------------------------------

    def divisions(self):
        """The region tree: one county (a county data set), or a city with its counties and
        districts (`counties` > 1), townships spread over them; the congress of the city, of each
        county and of each township (街道 have none); the handling units of each congress."""
        rng = self.rng
        count = max(self.sizes.of("townships"), 2 * self.counties)
        bases = [a + b for a in text.TOWN_FIRST for b in text.TOWN_SECOND]
        rng.shuffle(bases)
        if count > len(bases):
            raise ValueError(f"at most {len(bases)} townships")
        self.city = None
        if self.counties > 1:
            self.city = Region(name="连心市", level=Region.Level.CITY, kind=Region.Kind.CITY,
                               code=f"{SYNTHETIC_CODE_PREFIX}C00")
            self.city.save()
        district_names = [a + b + "区" for a in text.DISTRICT_FIRST for b in text.DISTRICT_SECOND]
        if self.counties > 1:  # a county data set draws exactly what it drew before cities
            rng.shuffle(district_names)
        counties = []
        for index in range(self.counties):
            # The first county is the demo county (连心县); the others are districts.
            name, kind = ("连心县", Region.Kind.COUNTY) if index == 0 else (district_names[index], Region.Kind.DISTRICT)
            county = Region(name=name, level=Region.Level.COUNTY, kind=kind,
                            code=f"{SYNTHETIC_CODE_PREFIX}{index:03d}")
            county.save()  # under the city when there is one
            counties.append(county)
        self.county_regions = counties
        self.county = counties[0]
        # The first county gets a larger share (the demo county), the rest evenly.
        per_county = [[] for _ in counties]
        for order in range(count):
            per_county[order % len(counties)].append(order)
        townships = []
        for county, orders in zip(counties, per_county):
            for position, order in enumerate(orders, start=1):
                base = bases[order]
                kind = rng.choices(
                    [Township.Kind.TOWN, Township.Kind.TOWNSHIP, Township.Kind.SUBDISTRICT], weights=[6, 2, 2]
                )[0]
                suffix = {"town": "镇", "township": "乡", "subdistrict": "街道"}[kind]
                townships.append(Township(
                    name=base + suffix, kind=kind, sort_order=order + 1, level=Region.Level.TOWNSHIP,
                    code=f"{SYNTHETIC_CODE_PREFIX}{order + 1:06d}",
                    path=county.path + Region._get_path(None, 1, position), depth=county.depth + 1))
        townships.sort(key=lambda t: t.sort_order)
        self.townships = self.bulk(Township, townships)
        for county, orders in zip(counties, per_county):
            Region.objects.filter(pk=county.pk).update(numchild=len(orders))
        self.county_of = {t.pk: next(c for c in counties if t.path.startswith(c.path)) for t in self.townships}
        self.city_congress = Congress.objects.of(self.city) if self.city is not None else None
        self.county_congresses = {county.pk: Congress.objects.of(county) for county in counties}
        self.county_congress = self.county_congresses[self.county.pk]
        self.township_congresses = {t.pk: Congress(region=t, name=f"{t.name}人民代表大会", motion_min_deputies=5)
                                    for t in self.townships if t.kind != Township.Kind.SUBDISTRICT}
        self.bulk(Congress, list(self.township_congresses.values()))
        villages = []
        for township in self.townships:
            community = township.kind == Township.Kind.SUBDISTRICT
            for village_name in rng.sample(text.VILLAGE_NAMES, rng.randint(8, 18)):
                villages.append(Village(
                    township=township, name=village_name + ("社区" if community else "村"),
                    kind=Village.Kind.COMMUNITY if community else Village.Kind.VILLAGE,
                ))
        self.villages = {}
        for village in self.bulk(Village, villages):
            self.villages.setdefault(village.township_id, []).append(village)
        # Units: a county data set's are the county's (县…); a city's the city's (市…) and each
        # county's (its name…), an equal share each.
        unit_count = self.sizes.of("units")
        if self.city is None:
            owners = [("县", "县", self.county_congress)]
        else:
            owners = [("市", "市", self.city_congress)] + [
                (county.name, county.name[:-1], self.county_congresses[county.pk]) for county in counties]
        share = max(1, -(-unit_count // len(owners)))
        units = []
        for prefix, short_prefix, congress in owners:
            for name, short in text.DEPARTMENTS[:share]:
                units.append(HandlingUnit(
                    congress=congress, name=prefix + name,
                    short_name=(short if prefix in ("县", "市") else short_prefix + short)[:30],
                    contact_person=names.person_name(rng), contact_phone=self.phone(),
                ))
        self.units = self.bulk(HandlingUnit, units)
        self.units_of = {}
        for unit in self.units:
            self.units_of.setdefault(unit.congress_id, []).append(unit)

    def county_congress_of(self, township_id):
        return self.county_congresses[self.county_of[township_id].pk]

    def home_congress(self, township_id):
        """The congress that receives what is raised in a township: its own, or its county's."""
        return self.township_congresses.get(township_id) or self.county_congress_of(township_id)

    def congress_of(self, deputy):
        """The congress of a deputy's own seat: their county's, their township's, the city's; None
        for the levels above (省, 全国: outside the deployment)."""
        if deputy.level == Level.COUNTY:
            return self.county_congress_of(deputy.township_id)
        if deputy.level == Level.TOWNSHIP:
            return self.township_congresses.get(deputy.township_id)
        if deputy.level == Level.MUNICIPAL:
            return self.city_congress
        return None

    def accounts(self):
        User = get_user_model()
        self.password = make_password(PASSWORD)

        def user(username, role, **fields):
            is_admin = role == Role.ADMIN
            return User(username=username, role=role, password=self.password, is_staff=is_admin,
                        is_superuser=is_admin, date_joined=aware(self.start, 9), **fields)

        rows = [
            user("admin", Role.ADMIN, name="系统管理员"),
            user("staff", Role.STAFF, name="代表工委 " + names.person_name(self.rng)),
            user("staff_t", Role.STAFF, name=f"{self.townships[0].name}人大 " + names.person_name(self.rng),
                 region=self.townships[0]),
        ]
        if self.city is not None:
            # A city's staff (the whole city) and the first county's (the benchmarks compare them).
            rows += [user("city_staff", Role.STAFF, name="市人大常委会 " + names.person_name(self.rng), region=self.city),
                     user("county_staff", Role.STAFF, name=f"{self.county.name}人大常委会 " + names.person_name(self.rng),
                          region=self.county)]
        staff_count = len(rows)
        for index, unit in enumerate(self.units):
            rows.append(user("unit" if index == 0 else f"unit_{index}", Role.UNIT,
                             name=f"{unit.short_name} {names.person_name(self.rng)}", handling_unit=unit))
        created = self.bulk(User, rows)
        self.admin, self.staff, self.township_staff = created[:3]
        self.unit_users = {u.handling_unit_id: u for u in created[staff_count:]}

    def sessions(self):
        rows = []
        for year in range(self.start.year, self.today.year + 1):
            number = year - self.start.year + 3
            for county in self.county_regions:
                rows.append(CongressSession(
                    congress=self.county_congresses[county.pk], term=18, number=number,
                    name=f"{county.name if self.city else '县'}第十八届人民代表大会第{CHINESE_NUMBERS[number - 1]}次会议",
                    start_date=date(year, 1, 8), end_date=date(year, 1, 11),
                ))
            if self.city_congress is not None:
                rows.append(CongressSession(
                    congress=self.city_congress, term=17, number=number,
                    name=f"市第十七届人民代表大会第{CHINESE_NUMBERS[number - 1]}次会议",
                    start_date=date(year, 1, 12), end_date=date(year, 1, 15),
                ))
            for township in self.townships:
                if township.pk not in self.township_congresses:
                    continue
                rows.append(CongressSession(
                    congress=self.township_congresses[township.pk], term=18, number=number,
                    name=f"{township.name}第十八届人民代表大会第{CHINESE_NUMBERS[number - 1]}次会议",
                    start_date=date(year, 1, 5), end_date=date(year, 1, 6),
                ))
        self.session_rows = self.bulk(CongressSession, rows)
        county_congress_ids = {c.pk for c in self.county_congresses.values()}
        self.sessions_of = {(s.congress_id, s.start_date.year): s for s in self.session_rows}
        self.county_sessions = {s.start_date.year: s for s in self.session_rows
                                if s.congress_id == self.county_congress.pk}
        self.township_sessions = {(s.congress.region_id, s.start_date.year): s for s in self.session_rows
                                  if s.congress_id not in county_congress_ids
                                  and (self.city_congress is None or s.congress_id != self.city_congress.pk)}

    # --- deputies, groups, stations ---------------------------------------------------------

    def deputies(self):
        rng = self.rng
        count = self.sizes.of("deputies")
        levels = [level for level, share in LEVEL_SHARES for _ in range(max(1, round(count * share / 100)))]
        levels = (levels * 2)[:count]
        rng.shuffle(levels)
        weights = [rng.uniform(0.5, 1.5) for _ in self.townships]
        groups = [DeputyGroup(name=f"{t.name}代表小组", kind=DeputyGroup.Kind.TERRITORIAL, township=t)
                  for t in self.townships]
        groups += [DeputyGroup(name=f"{name}专业代表小组", kind=DeputyGroup.Kind.PROFESSIONAL)
                   for name in PROFESSIONAL_GROUPS]
        groups = self.bulk(DeputyGroup, groups)
        territorial = {g.township_id: g for g in groups if g.township_id}
        professional = [g for g in groups if not g.township_id]
        rows = []
        for index, level in enumerate(levels):
            township = self.townships[index] if index < len(self.townships) else rng.choices(self.townships, weights)[0]
            female = rng.random() < 0.32
            name = names.person_name(rng, female)
            village = rng.choice(text.VILLAGE_NAMES)
            rows.append(Deputy(
                name=name, gender=Deputy.Gender.FEMALE if female else Deputy.Gender.MALE,
                ethnicity=rng.choice(names.ETHNICITIES),
                birth_date=date(rng.randint(1960, 1996), rng.randint(1, 12), rng.randint(1, 28)),
                party=rng.choice(names.PARTIES), level=level, term=TERMS[level],
                constituency=f"第{rng.randint(1, 40)}选区（{township.name}）", township=township,
                group=rng.choice(professional) if rng.random() < 0.15 else territorial[township.pk],
                occupation=rng.choice(names.OCCUPATIONS).format(t=township.name, v=village),
                sector=rng.choice(list(Deputy.Sector)), phone=f"138{index:08d}",
                status=Deputy.Status.TERMINATED if rng.random() < 0.015 else Deputy.Status.ACTIVE,
                search_keys=search_keys(name),
            ))
        # The demo deputy account: the first county deputy, active.
        first_county = next(d for d in rows if d.level == Level.COUNTY)
        first_county.status = Deputy.Status.ACTIVE
        with explicit_timestamps((Deputy, "created_at"), (Deputy, "updated_at")):
            for deputy in rows:
                deputy.created_at = deputy.updated_at = aware(self.start, 9)
            self.all_deputies = self.bulk(Deputy, rows)
        User = get_user_model()
        users = [User(username="deputy" if d is first_county else d.phone, role=Role.DEPUTY, name=d.name,
                      phone=d.phone, password=self.password, is_active=d.is_active,
                      date_joined=aware(self.start, 9)) for d in self.all_deputies]
        users = self.bulk(User, users)
        for deputy, user in zip(self.all_deputies, users):
            deputy.user = user
        Deputy.objects.bulk_update(self.all_deputies, ["user"], batch_size=self.batch)
        self.bulk(Seat, [
            Seat(deputy=d, level=d.level, term=d.term, constituency=d.constituency, congress=self.congress_of(d),
                 status=Seat.Status.ACTIVE if d.is_active else Seat.Status.ENDED)
            for d in self.all_deputies
        ])
        self.demo_deputy = first_county
        self.active = [d for d in self.all_deputies if d.is_active]
        self.by_township = {}
        for deputy in self.active:
            self.by_township.setdefault(deputy.township_id, []).append(deputy)
        for group in groups:
            members = [d for d in self.active if d.group_id == group.pk]
            group.leader = first_county if group.township_id == first_county.township_id and \
                group.kind == DeputyGroup.Kind.TERRITORIAL else (members[0] if members else None)
        DeputyGroup.objects.bulk_update(groups, ["leader"])
        self.deputy_user = {d.pk: d.user for d in self.all_deputies}

    def stations(self):
        rng = self.rng
        count = self.sizes.of("stations")
        taken = set(sm.Station.objects.values_list("code", flat=True))
        weights = [len(self.by_township.get(t.pk, [])) + 1 for t in self.townships]
        plan = [(t, sm.Station.Kind.HOME) for t in self.townships]
        while len(plan) < count:
            kind = rng.choices([sm.Station.Kind.STATION, sm.Station.Kind.POINT, sm.Station.Kind.STUDIO,
                                sm.Station.Kind.HOME], weights=[60, 22, 10, 8])[0]
            plan.append((rng.choices(self.townships, weights)[0], kind))
        rows = []
        for township, kind in plan:
            village = rng.choice(self.villages[township.pk])
            mode = rng.choices([sm.Station.Mode.FIXED, sm.Station.Mode.MOBILE, sm.Station.Mode.ONLINE],
                               weights=[80, 12, 8])[0] if kind != sm.Station.Kind.HOME else sm.Station.Mode.FIXED
            named_after = None
            if kind == sm.Station.Kind.STUDIO and self.by_township.get(township.pk):
                named_after = rng.choice(self.by_township[township.pk])
                name = f"{named_after.name}代表工作室"
            elif kind == sm.Station.Kind.HOME:
                name = f"{township.name}人大代表之家"
            elif kind == sm.Station.Kind.POINT:
                name = f"{village.name}全过程人民民主基层实践点"
            else:
                name = f"{township.name}{village.name}代表联络站"
            if mode == sm.Station.Mode.MOBILE:
                name += "（流动办公桌）"
            elif mode == sm.Station.Mode.ONLINE:
                name = name.replace("代表联络站", "云端代表联络站")
            duty = kind == sm.Station.Kind.HOME or (
                kind == sm.Station.Kind.STATION and mode == sm.Station.Mode.FIXED and rng.random() < 0.12)
            rows.append(sm.Station(
                code=self.code(sm.CODE_ALPHABET, sm.CODE_LENGTH, taken), name=name, kind=kind, mode=mode,
                township=township, address=f"{township.name}{village.name}{rng.randint(1, 300)}号",
                named_after=named_after, opening_hours="工作日 9:00–11:30，14:30–17:00",
                description=f"{name}是代表联系群众的固定阵地，代表定期进站接待群众、收集意见建议。",
                duty_rule=self.weekday_rule if duty and rng.random() < 0.2 else None, duty_enabled=duty,
                is_active=rng.random() > 0.01 or kind == sm.Station.Kind.HOME,
            ))
        with explicit_timestamps((sm.Station, "created_at"), (sm.Station, "updated_at")):
            for station in rows:
                station.created_at = station.updated_at = aware(self.start, 9)
            self.station_rows = self.bulk(sm.Station, rows)
        User = get_user_model()
        managers = self.bulk(User, [
            User(username="manager" if i == 0 else f"manager_{i}", role=Role.STATION_MANAGER,
                 name=f"{s.name[:20]} {names.person_name(rng)}", password=self.password,
                 date_joined=aware(self.start, 9))
            for i, s in enumerate(self.station_rows)
        ])
        for station, manager in zip(self.station_rows, managers):
            station.manager = manager
        sm.Station.objects.bulk_update(self.station_rows, ["manager"], batch_size=self.batch)
        # Memberships: every active deputy in a station of their township, a tenth in two.
        stations_of = {}
        for station in self.station_rows:
            stations_of.setdefault(station.township_id, []).append(station)
        pairs = {}
        for township in self.townships:
            local = stations_of.get(township.pk, [])
            deputies = [d for d in self.all_deputies if d.township_id == township.pk]
            for index, deputy in enumerate(deputies):
                pairs[(local[index % len(local)].pk, deputy.pk)] = True
                if rng.random() < 0.1 and len(local) > 1:
                    pairs[(rng.choice(local).pk, deputy.pk)] = True
            for station in local:
                if station.named_after_id:
                    pairs[(station.pk, station.named_after_id)] = True
                if deputies and not any((station.pk, d.pk) in pairs for d in deputies):
                    pairs[(station.pk, rng.choice(deputies).pk)] = True
        # The demo deputy also sits in their township's 代表之家, which keeps the duty roster.
        home = self.demo_station = next(
            s for s in stations_of[self.demo_deputy.township_id] if s.kind == sm.Station.Kind.HOME)
        pairs[(home.pk, self.demo_deputy.pk)] = True
        seen = set()
        memberships = []
        for station_id, deputy_id in pairs:
            memberships.append(sm.StationMembership(
                station_id=station_id, deputy_id=deputy_id, is_leader=station_id not in seen,
                joined_on=self.start,
            ))
            seen.add(station_id)
        self.bulk(sm.StationMembership, memberships)
        active_ids = {d.pk for d in self.active}
        self.members = {}
        for station_id, deputy_id in pairs:
            if deputy_id in active_ids:
                self.members.setdefault(station_id, []).append(deputy_id)
        self.deputy_by_id = {d.pk: d for d in self.all_deputies}
        self.stations_with_members = [s for s in self.station_rows if self.members.get(s.pk)]

    def session_attendance(self):
        rng = self.rng
        rows = []
        with explicit_timestamps((SessionAttendance, "recorded_at")):
            electorates = {}
            for deputy in self.active:
                congress = self.congress_of(deputy)
                if congress is not None:
                    electorates.setdefault(congress.pk, []).append(deputy)
            for session in self.session_rows:
                if session.start_date > self.today:
                    continue
                for deputy in electorates.get(session.congress_id, []):
                    status = rng.choices(list(SessionAttendance.Status), weights=[92, 6, 2])[0]
                    rows.append(SessionAttendance(
                        session=session, deputy=deputy, status=status,
                        note="因公出差" if status == SessionAttendance.Status.EXCUSED else "",
                        recorded_by=self.staff, recorded_at=aware(session.end_date, 17),
                    ))
            self.bulk(SessionAttendance, rows)

    # --- duty, visits, receptions -----------------------------------------------------------

    def duty(self):
        rng = self.rng
        rows = []
        for deputy in rng.sample(self.active, max(4, len(self.active) // 50)):
            first = self.day_in(self.today - timedelta(days=30), self.today + timedelta(days=60))
            rows.append(sm.Unavailability(deputy=deputy, start=first, end=first + timedelta(days=rng.randint(3, 30)),
                                          reason=rng.choice(["外出学习", "住院治疗", "出差"])))
        self.bulk(sm.Unavailability, rows)
        month = date(self.today.year - 1, self.today.month, 1)
        last = add_months(self.today.replace(day=1), 1)
        while month <= last:
            result = schedule_month(month.year, month.month)
            self.result.counts["stations.DutyShift"] = self.result.counts.get("stations.DutyShift", 0) + result.shifts
            month = add_months(month, 1)
        self.result.counts["stations.DutyAssignment"] = sm.DutyAssignment.objects.count()

    def visits(self):
        rng = self.rng
        target = self.sizes.per_window("visits")
        past = list(
            sm.DutyAssignment.objects.filter(shift__date__lt=self.today)
            .select_related("shift").order_by("shift__date", "shift__station_id", "slot")
        )
        share = min(0.85, 0.6 * target / len(past)) if past else 0
        visits, attended = [], []
        for assignment in past:
            if rng.random() < share:
                shift = assignment.shift
                visits.append(sm.Visit(
                    deputy_id=assignment.deputy_id, station_id=shift.station_id, date=shift.date,
                    start_time=shift.start_time, end_time=shift.end_time, summary=text.VISIT_SUMMARIES[1],
                    recorded_by=self.deputy_user[assignment.deputy_id],
                    created_at=aware(shift.date, shift.end_time.hour, shift.end_time.minute),
                ))
                attended.append(assignment)
        for _ in range(max(0, target - len(visits))):
            station = rng.choice(self.stations_with_members)
            deputy_id = rng.choice(self.members[station.pk])
            day = self.day_in(self.start, self.today - timedelta(days=1))
            start = rng.choice([time(9, 0), time(9, 30), time(14, 30), time(15, 0)])
            end = time(start.hour + 2, start.minute)
            visits.append(sm.Visit(
                deputy_id=deputy_id, station=station, date=day, start_time=start, end_time=end,
                summary=rng.choice(text.VISIT_SUMMARIES), recorded_by=self.deputy_user[deputy_id],
                created_at=aware(day, end.hour, end.minute),
            ))
        # The demo deputy has visited this year (or yesterday, on 1 January).
        since = min(date(self.today.year, 1, 1), self.today - timedelta(days=1))
        if not any(v.deputy_id == self.demo_deputy.pk and v.date >= since for v in visits):
            day = self.today - timedelta(days=1)
            station = self.demo_station
            visits.append(sm.Visit(
                deputy_id=self.demo_deputy.pk, station=station, date=day, start_time=time(9), end_time=time(11),
                summary=text.VISIT_SUMMARIES[0], recorded_by=self.deputy_user[self.demo_deputy.pk],
                created_at=aware(day, 11)))
        with explicit_timestamps((sm.Visit, "created_at"), (sm.Reception, "created_at")):
            self.visit_rows = self.bulk(sm.Visit, visits)
            for assignment, visit in zip(attended, self.visit_rows):
                assignment.visit = visit
                assignment.attendance = sm.DutyAssignment.Attendance.ATTENDED
            sm.DutyAssignment.objects.bulk_update(attended, ["visit", "attendance"], batch_size=1000)
            # close_past_shifts: a past turn without a visit is missed.
            sm.DutyAssignment.objects.filter(
                shift__date__lt=self.today, attendance=sm.DutyAssignment.Attendance.PENDING
            ).update(attendance=sm.DutyAssignment.Attendance.ABSENT)
            station_township = {s.pk: s.township_id for s in self.station_rows}
            township_name = {t.pk: t.name for t in self.townships}
            receptions = []
            for _ in range(self.sizes.per_window("receptions")):
                visit = rng.choice(self.visit_rows)
                township_id = station_township[visit.station_id]
                village = rng.choice(self.villages[township_id])
                category = rng.choice(self.categories)
                topic = rng.choice(text.RECEPTION_TOPICS.get(category.name, text.RECEPTION_TOPICS["其他"]))
                handling = rng.choices(list(sm.Reception.Handling), weights=[55, 35, 10])[0]
                receptions.append(sm.Reception(
                    visit=visit, visitor_name=names.person_name(rng),
                    visitor_phone=self.phone() if rng.random() < 0.7 else "", village=village, category=category,
                    content=topic.format(v=village.name, t=township_name[township_id]), handling=handling,
                    feedback=rng.choice(text.FEEDBACK) if handling == sm.Reception.Handling.ANSWERED else "",
                    created_at=visit.created_at,
                ))
            self.reception_rows = self.bulk(sm.Reception, receptions)
        self.receptions_by_deputy = {}
        for reception in self.reception_rows:
            self.receptions_by_deputy.setdefault(reception.visit.deputy_id, []).append(reception)
        # A few swap requests on coming turns.
        managed = self.station_rows[0].pk
        # The demo station manager's station always has a coming turn to swap, whatever the day
        # (on 31 December next month's turns are not scheduled yet).
        members = self.members.get(managed, [])
        if members and not sm.DutyAssignment.objects.filter(shift__station_id=managed,
                                                            shift__date__gte=self.today).exists():
            shift = sm.DutyShift.objects.create(station_id=managed, date=self.today + timedelta(days=1),
                                                start_time=time(9, 0), end_time=time(11, 30))
            sm.DutyAssignment.objects.create(shift=shift, deputy_id=members[0], slot=1)
        coming = list(sm.DutyAssignment.objects.filter(shift__date__gte=self.today).select_related("shift")
                      .order_by("pk")[:400])
        swaps = []
        chosen = rng.sample(coming, min(len(coming), max(2, len(coming) // 40)))
        # One at the demo station manager's station, so that their swap list is never empty.
        if not any(a.shift.station_id == managed for a in chosen):
            chosen += [a for a in coming if a.shift.station_id == managed][:1]
        for assignment in chosen:
            others = [d for d in self.members.get(assignment.shift.station_id, []) if d != assignment.deputy_id]
            swaps.append(sm.SwapRequest(
                assignment=assignment, requested_by_id=assignment.deputy_id,
                proposed_id=rng.choice(others) if others else None, reason="当天需外出参加培训",
            ))
        self.bulk(sm.SwapRequest, swaps)

    # --- opinions ---------------------------------------------------------------------------

    def opinions(self):
        """Each opinion replayed along the opinions' transitions up to now (see services.py)."""
        rng = self.rng
        taken = set(om.Opinion.objects.values_list("tracking_code", flat=True))
        code_length = settings.TRACKING_CODE_LENGTH
        station_by_id = {s.pk: s for s in self.station_rows}
        township_name = {t.pk: t.name for t in self.townships}
        follow_ups = [r for r in self.reception_rows if r.handling == sm.Reception.Handling.FOLLOW_UP]
        public_count = max(len(follow_ups) // 3, self.sizes.per_window("opinions") - len(follow_ups))
        sources = [(r.created_at, r) for r in follow_ups]
        for _ in range(public_count):
            sources.append((self.moment_in(aware(self.start, 0), self.now - timedelta(minutes=5)), None))
        sources.sort(key=lambda item: (item[0], item[1].pk if item[1] else 0))
        opinions, timelines = [], []
        for created, reception in sources:
            if reception is not None:
                station = station_by_id[reception.visit.station_id]
                opinion = om.Opinion(source=om.Source.RECEPTION, reception=reception, station=station,
                                     category=reception.category, created_at=created)
            else:
                station = rng.choice(self.stations_with_members)
                category = rng.choice(self.categories)
                village = rng.choice(self.villages[station.township_id])
                topic = rng.choice(text.RECEPTION_TOPICS.get(category.name, text.RECEPTION_TOPICS["其他"]))
                named = rng.random() < 0.6
                opinion = om.Opinion(
                    source=om.Source.PUBLIC, station=station, category=category, created_at=created,
                    content=topic.format(v=village.name, t=township_name[station.township_id]),
                    name=names.person_name(rng) if named else "", phone=self.phone() if named else "",
                    consent_at=created if named else None,
                )
            opinion.tracking_code = self.code(om.TRACKING_ALPHABET, code_length, taken)
            # Received by the station's township congress (a 街道's: its county's).
            opinion.congress = opinion.received_by = self.home_congress(station.township_id)
            opinions.append(opinion)
            timelines.append(self.replay_opinion(opinion, reception, station))
        with explicit_timestamps((om.Opinion, "updated_at")):
            self.opinion_rows = self.bulk(om.Opinion, opinions)
        entries = []
        for opinion, timeline in zip(self.opinion_rows, timelines):
            for entry in timeline:
                entry.opinion = opinion
                entries.append(entry)
        self.opinion_entries = self.bulk(om.TimelineEntry, entries)

    def replay_opinion(self, opinion, reception, station):
        rng = self.rng
        members = self.members.get(station.pk, [])
        if reception is not None:
            deputy_id = reception.visit.deputy_id
        else:
            deputy_id = rng.choice(members) if members else None
        outcome = rng.choices(
            ["answer", "refer", "convert", "wait", "adopted", "referred", "handling", "return"],
            weights=[50, 36, 3, 3 if reception is None else 0, 2, 1, 2, 3],
        )[0]
        # Its county's or the city's units (opinions.services refuses another county's).
        serving = [*self.units_of.get(self.county_congress_of(station.township_id).pk, []),
                   *(self.units_of.get(self.city_congress.pk, []) if self.city_congress else [])]
        unit = rng.choice(serving or self.units)
        t = opinion.created_at
        plan = [("submit", t)]
        if outcome != "wait" and deputy_id:
            t += timedelta(minutes=1) if reception is not None else timedelta(hours=rng.randint(2, 60))
            plan.append(("adopt", t))
        if outcome in ("refer", "referred", "handling", "return"):
            t += timedelta(hours=rng.randint(4, 72))
            plan.append(("refer", t))
            if outcome == "return":
                t += timedelta(hours=rng.randint(4, 48))
                plan.append(("return", t))
                t += timedelta(days=rng.randint(1, 6))
                plan.append(("answer" if deputy_id else "wait", t))
            elif outcome != "referred":
                t += timedelta(hours=rng.randint(4, 48))
                plan.append(("accept", t))
                if outcome == "refer":
                    t += timedelta(days=rng.randint(3, 14))
                    plan.append(("reply", t))
        elif outcome == "answer" and deputy_id:
            t += timedelta(days=rng.randint(1, 6))
            plan.append(("answer", t))
        elif outcome == "convert" and deputy_id:
            t += timedelta(days=rng.randint(2, 10))
            plan.append(("convert", t))
        if plan[-1][0] in ("answer", "reply") and rng.random() < 0.45:
            t += timedelta(days=rng.randint(1, 7))
            plan.append(("rate", t))
        opinion.state = om.State.SUBMITTED
        deputy = self.deputy_by_id.get(deputy_id)
        entries = []

        def record(step, at, from_state, *, actor, actor_name, public_text, note="", unit=None):
            entries.append(om.TimelineEntry(
                step=step, from_state=from_state, to_state=opinion.state, actor=actor, actor_name=actor_name,
                unit=unit, note=note, public_text=public_text, created_at=at,
            ))

        deputy_name = f"{deputy.name}代表" if deputy else ""
        unit_user = self.unit_users[unit.pk]
        unit_actor = f"{unit.name} {unit_user.name}"
        for step, at in plan:
            if at > self.now or step == "wait":
                break
            previous = opinion.state
            if step == "submit":
                opinion.due_at = self.deadline_after(at, settings.OPINION_ADOPT_DAYS)
                note = f"接待群众时登记为待跟进（{reception.visit.date:%Y-%m-%d}）" if reception else ""
                record(om.Step.SUBMIT, at, "", actor=None, actor_name="系统", note=note,
                       public_text="意见已登记，等待代表接单" if reception else "意见已提交，等待代表接单")
            elif step == "adopt":
                opinion.state, opinion.adopted_by, opinion.adopted_at = om.State.ADOPTED, deputy, at
                opinion.due_at = self.deadline_after(at, settings.OPINION_REPLY_DAYS)
                record(om.Step.ADOPT, at, previous, actor=deputy.user, actor_name=deputy_name,
                       public_text=f"{deputy.name}代表已接单")
            elif step == "refer":
                opinion.state, opinion.unit, opinion.referred_at = om.State.REFERRED, unit, at
                opinion.due_at = self.deadline_after(at, settings.OPINION_REPLY_DAYS)
                record(om.Step.REFER, at, previous, actor=self.staff, actor_name=self.staff.name, unit=unit,
                       note="请核实并答复群众。", public_text=f"已转交{unit.name}办理")
            elif step == "accept":
                opinion.state = om.State.HANDLING
                record(om.Step.ACCEPT, at, previous, actor=unit_user, actor_name=unit_actor, unit=unit,
                       public_text=f"{unit.name}已接单，正在办理")
            elif step == "return":
                opinion.unit = None
                opinion.state = om.State.ADOPTED if opinion.adopted_by_id else om.State.SUBMITTED
                days = settings.OPINION_REPLY_DAYS if opinion.state == om.State.ADOPTED else settings.OPINION_ADOPT_DAYS
                opinion.due_at = self.deadline_after(at, days)
                record(om.Step.RETURN, at, previous, actor=unit_user, actor_name=unit_actor, unit=unit,
                       note="不属于本单位职责范围。", public_text="承办单位退回，正在重新安排办理")
            elif step in ("answer", "reply"):
                reply = rng.choice(text.OPINION_REPLIES)
                opinion.state, opinion.reply = om.State.CLOSED, reply
                opinion.replied_at = opinion.closed_at = at
                opinion.due_at = None
                if step == "answer":
                    record(om.Step.ANSWER, at, previous, actor=deputy.user, actor_name=deputy_name, note=reply,
                           public_text="代表已答复，办结")
                else:
                    record(om.Step.REPLY, at, previous, actor=unit_user, actor_name=unit_actor, unit=unit,
                           note=reply, public_text=f"{unit.name}已答复，办结")
            elif step == "convert":
                opinion.state, opinion.closed_at, opinion.due_at = om.State.CONVERTED, at, None
                record(om.Step.CONVERT, at, previous, actor=deputy.user, actor_name=deputy_name,
                       public_text="已由代表转为代表建议，按代表建议程序交办")
            elif step == "rate":
                rating = rng.choices(list(om.Rating), weights=[75, 18, 7])[0]
                opinion.rating, opinion.rated_at = rating, at
                record(om.Step.RATE, at, previous, actor=None, actor_name="系统",
                       public_text=f"群众评价：{om.Rating(rating).label}")
        opinion.updated_at = entries[-1].created_at
        return entries

    # --- suggestions ------------------------------------------------------------------------

    def suggestions(self):
        rng = self.rng
        leads = [d for d in self.active if d.level == Level.COUNTY]
        county_of_deputy = {}
        for deputy in leads:
            county_of_deputy.setdefault(self.county_of[deputy.township_id].pk, []).append(deputy)
        converted = [o for o in self.opinion_rows if o.state == om.State.CONVERTED]
        self.sequences = {}
        rows, children = [], []
        # Accepted within 10 days, assigned within 7 more, three months to reply.
        overdue_by = self.today - timedelta(days=10 + 7 + 93 + 1)
        for year in range(self.start.year, self.today.year + 1):
            # Every county's session runs on the same days: the first county's gives the dates,
            # each suggestion then takes its own county's session.
            session = self.county_sessions[year]
            year_end = min(date(year, 12, 31), self.today)
            fraction = ((year_end - date(year, 1, 1)).days + 1) / 365
            count = max(MINIMUM["suggestions"] // 3, round(self.sizes.of("suggestions") * min(1, fraction)))
            for index in range(count):
                in_session = index < count * 0.6 and session.start_date <= self.today
                if in_session:
                    submitted = self.moment_in(aware(session.start_date, 9), aware(session.end_date, 17))
                else:
                    submitted = self.moment_in(aware(session.end_date + timedelta(days=1), 9), aware(year_end, 17))
                if pin_overdue := (year == self.today.year and index == count - 1 and overdue_by.year == year):
                    # One of this year's suggestions still unanswered past its deadline, so the
                    # figures' overdue list has a row whatever the date (when the year allows one).
                    in_session = False
                    submitted = self.moment_in(aware(date(year, 1, 1), 9), aware(overdue_by, 17))
                lead = self.demo_deputy if index < 3 else rng.choice(leads)
                session = self.sessions_of[(self.county_congress_of(lead.township_id).pk, year)]
                source_opinion = None
                if converted and not in_session and rng.random() < 0.05:
                    candidate = converted.pop()
                    if candidate.adopted_by_id and candidate.closed_at and candidate.closed_at.year == year:
                        source_opinion = candidate
                        lead = self.deputy_by_id[candidate.adopted_by_id]
                        session = self.sessions_of[(self.county_congress_of(lead.township_id).pk, year)]
                        submitted = max(submitted, candidate.closed_at + timedelta(hours=1))
                suggestion, extra = self.replay_suggestion(
                    lead=lead, submitted=submitted, session=session if in_session else None, year=year,
                    county=county_of_deputy, source_opinion=source_opinion, rows=rows,
                    outcome="assigned" if pin_overdue else None,
                    # Each year the demo deputy co-signs another deputy's suggestion.
                    cosigner=self.demo_deputy if index == 3 and lead != self.demo_deputy else None,
                )
                rows.append(suggestion)
                children.append(extra)
        # Every state the staff's queues show, reached by now whatever the date: one suggestion
        # submitted long enough ago to have come that far however slowly each step went.
        for outcome, days_ago in OPEN_STATES:
            submitted = aware(self.today - timedelta(days=days_ago), 9)
            suggestion, extra = self.replay_suggestion(
                lead=rng.choice(leads), submitted=submitted, session=None, year=submitted.year, county=county_of_deputy,
                rows=rows, outcome=outcome)
            rows.append(suggestion)
            children.append(extra)
        # Drafts being written now.
        for _ in range(max(3, len(rows) // 100)):
            lead = rng.choice(leads)
            created = self.moment_in(self.now - timedelta(days=20), self.now)
            suggestion, extra = self.replay_suggestion(lead=lead, submitted=None, created=created, session=None,
                                                       year=None, county=county_of_deputy, rows=rows)
            rows.append(suggestion)
            children.append(extra)
        with explicit_timestamps((gm.Suggestion, "created_at"), (gm.Suggestion, "updated_at")):
            self.suggestion_rows = self.bulk(gm.Suggestion, rows)
        buckets = {"assignments": [], "cosigners": [], "contacts": [], "extensions": [], "replies": [],
                   "progress": [], "hearings": [], "timeline": [], "evaluations": []}
        for suggestion, extra in zip(self.suggestion_rows, children):
            for key, items in extra.items():
                for item in items:
                    item.suggestion = suggestion
                    buckets[key].append(item)
        # merge_suggestion: the duplicate points at the other one, whose timeline records it and
        # whose co-signers now include the duplicate's lead deputy.
        merged = [s for s in self.suggestion_rows if hasattr(s, "synthetic_merge")]
        for suggestion in merged:
            target, at = suggestion.synthetic_merge
            suggestion.merged_into = target
            buckets["timeline"].append(gm.TimelineEntry(
                suggestion=target, step=gm.Step.MERGE, at=at, actor=self.staff, from_state=target.state,
                to_state=target.state, note=f"{suggestion.code}并入本件"))
            buckets["cosigners"].append(gm.Cosigner(suggestion=target, deputy_id=suggestion.lead_deputy_id,
                                                    confirmed_at=at, invited_at=at))
        gm.Suggestion.objects.bulk_update(merged, ["merged_into"], batch_size=self.batch)
        with explicit_timestamps((gm.Assignment, "assigned_at"), (gm.Cosigner, "invited_at"),
                                 (gm.Contact, "created_at"), (gm.Extension, "requested_at"),
                                 (gm.Progress, "reported_at"), (gm.Hearing, "recorded_at")):
            self.bulk(gm.Assignment, buckets["assignments"])
            self.bulk(gm.Cosigner, self.unique_cosigners(buckets["cosigners"]))
            self.bulk(gm.Contact, buckets["contacts"])
            self.bulk(gm.Extension, buckets["extensions"])
            self.bulk(gm.Reply, buckets["replies"])
            self.bulk(gm.Evaluation, buckets["evaluations"])
            self.bulk(gm.Progress, buckets["progress"])
            self.bulk(gm.Hearing, buckets["hearings"])
        self.suggestion_entries = self.bulk(gm.TimelineEntry, buckets["timeline"])
        # A suggestion's search vector holds its replies' texts, bulk-created after it.
        rebuild_search_vectors(gm.Suggestion, queryset=gm.Suggestion.objects.filter(first_replied_at__isnull=False))
        for key, last in self.sequences.items():
            gm.NumberSequence.objects.update_or_create(key=key, defaults={"last": last})
        # The opinions turned into these suggestions link to them, as mark_converted records.
        by_opinion = {s.source_opinion_id: s for s in self.suggestion_rows if s.source_opinion_id}
        linked = []
        for entry in self.opinion_entries:
            if entry.step == om.Step.CONVERT and entry.opinion_id in by_opinion:
                suggestion = by_opinion[entry.opinion_id]
                entry.note, entry.link = str(suggestion), f"/suggestions/{suggestion.pk}/"
                linked.append(entry)
        om.TimelineEntry.objects.bulk_update(linked, ["note", "link"], batch_size=self.batch)

    @staticmethod
    def unique_cosigners(cosigners):
        seen, rows = set(), []
        for cosigner in cosigners:
            key = (cosigner.suggestion.pk, cosigner.deputy_id)
            if key not in seen and cosigner.deputy_id != cosigner.suggestion.lead_deputy_id:
                seen.add(key)
                rows.append(cosigner)
        return rows

    def replay_suggestion(self, *, lead, submitted, session, year, county, rows, created=None,
                          source_opinion=None, outcome=None, cosigner=None):
        """One suggestion along suggestions.models.TRANSITIONS up to now, with the fields, records
        and timeline entries its service functions write."""
        rng = self.rng
        G = gm.State
        category = rng.choice(self.suggestion_categories)
        topic = rng.choice(text.SUGGESTION_TOPICS.get(category.name, text.SUGGESTION_TOPICS["其他"]))
        motion = rng.random() < 0.02
        created = created or submitted - timedelta(days=rng.randint(1, 10))
        # To the congress of the lead deputy's county, co-signed by deputies of that county.
        congress = self.county_congress_of(lead.township_id)
        county = county.get(self.county_of[lead.township_id].pk) or [d for peers in county.values() for d in peers]
        suggestion = gm.Suggestion(
            kind=gm.Kind.MOTION if motion else gm.Kind.SUGGESTION, state=G.DRAFT,
            title=f"关于{topic}的{'议案' if motion else '建议'}",
            content=f"{lead.township.name}群众普遍反映，{topic}事关群众切身利益。"
                    f"建议有关部门加强统筹，加大投入，明确责任和时限，切实解决群众急难愁盼问题。",
            category=category, lead_deputy=lead, township_id=lead.township_id, created_at=created,
            source_opinion=source_opinion, congress=congress, received_by=congress,
        )
        if source_opinion is None and rng.random() < 0.05 and self.receptions_by_deputy.get(lead.pk):
            suggestion.source_reception = rng.choice(self.receptions_by_deputy[lead.pk])
        extra = {key: [] for key in ("assignments", "cosigners", "contacts", "extensions", "replies",
                                     "progress", "hearings", "timeline", "evaluations")}
        lead_user = self.deputy_user[lead.pk]

        def record(step, at, by, from_state, note=""):
            extra["timeline"].append(gm.TimelineEntry(step=step, at=at, actor=by, from_state=from_state,
                                                      to_state=suggestion.state, note=note))

        record(gm.Step.CREATE, created, lead_user, "")
        signers = rng.sample(county, min(len(county) - 1, rng.randint(10, 14))) if motion else (
            rng.sample(county, rng.randint(1, 4)) if rng.random() < 0.4 and len(county) > 4 else [])
        if cosigner is not None and cosigner not in signers:
            signers = [cosigner, *signers]
        signers = [d for d in signers if d.pk != lead.pk]
        if signers:
            record(gm.Step.INVITE, created + timedelta(minutes=5), lead_user, G.DRAFT,
                   "、".join(d.name for d in signers))
        for signer in signers:
            answered = created + timedelta(hours=rng.randint(1, 20))
            declined = not motion and signer != cosigner and rng.random() < 0.1
            invited = created + timedelta(minutes=5)
            if submitted is None and rng.random() < 0.5:
                extra["cosigners"].append(gm.Cosigner(deputy=signer, invited_at=invited))
                continue
            extra["cosigners"].append(gm.Cosigner(deputy=signer, confirmed_at=None if declined else answered,
                                                  declined_at=answered if declined else None, invited_at=invited))
            record(gm.Step.DECLINE if declined else gm.Step.COSIGN, answered, self.deputy_user[signer.pk], G.DRAFT)
        suggestion.updated_at = created
        if submitted is None:
            return suggestion, extra
        outcome = outcome or rng.choices(
            ["closed", "evaluated", "replied", "hearing_closed", "hearing", "rehandling", "assigned",
             "accepted", "submitted", "reference", "merged", "withdrawn"],
            weights=[74, 4, 3, 1, 1, 1, 1, 1, 1, 6, 3, 3],
        )[0]
        own_units = self.units_of.get(congress.pk) or self.units
        unit = rng.choice(own_units)
        co_units = [u for u in rng.sample(own_units, min(len(own_units), rng.choice([0, 0, 1, 2]))) if u.pk != unit.pk]
        unit_user = self.unit_users[unit.pk]
        plan = [("submit", submitted)]
        t = submitted
        if outcome == "withdrawn":
            plan.append(("withdraw", t + timedelta(days=rng.randint(1, 5))))
        elif outcome == "reference":
            plan.append(("convert", t + timedelta(days=rng.randint(3, 15))))
        elif outcome == "merged":
            plan.append(("merge", t + timedelta(days=rng.randint(3, 15))))
        elif outcome != "submitted":
            t += timedelta(days=rng.randint(3, 10))
            plan.append(("accept", t))
            if outcome != "accepted":
                t += timedelta(days=rng.randint(2, 7))
                plan.append(("assign", t))
                assigned = t
                if rng.random() < 0.04:
                    plan.append(("supervise", t + timedelta(days=1)))
                late = rng.random() < 0.08
                reply_at = assigned + timedelta(days=rng.randint(100, 160) if late else rng.randint(30, 88))
                if rng.random() < 0.05:
                    plan.append(("request_extension", assigned + timedelta(days=60)))
                    plan.append(("grant_extension", assigned + timedelta(days=62)))
                plan.append(("contact", assigned + timedelta(days=rng.randint(7, 25))))
                if co_units:
                    plan.append(("input", assigned + timedelta(days=rng.randint(10, 28))))
                if outcome != "assigned":
                    plan.append(("reply", reply_at))
                    t = reply_at + timedelta(days=rng.randint(5, 20))
                    if outcome in ("hearing", "hearing_closed", "rehandling"):
                        plan.append(("evaluate_unsatisfied", t))
                        if outcome != "rehandling":
                            plan.append(("contact", t + timedelta(days=5)))
                            t += timedelta(days=rng.randint(15, 28))
                            plan.append(("reply", t))
                            t += timedelta(days=rng.randint(5, 15))
                            plan.append(("evaluate_unsatisfied", t))
                            if outcome == "hearing_closed":
                                plan.append(("hearing", t + timedelta(days=rng.randint(10, 30))))
                    elif outcome != "replied":
                        plan.append(("evaluate", t))
                        if outcome == "closed":
                            t += timedelta(days=rng.randint(3, 15))
                            plan.append(("close", t))
                            if rng.random() < 0.3:
                                plan.append(("publish", t + timedelta(days=2)))
        plan.sort(key=lambda item: item[1])
        reply = None
        for step, at in plan:
            if at > self.now:
                break
            previous = suggestion.state
            suggestion.updated_at = at
            if step == "submit":
                key = f"session:{session.pk}" if session else f"recess:{suggestion.congress_id}:{year}"
                self.sequences[key] = self.sequences.get(key, 0) + 1
                suggestion.session, suggestion.year, suggestion.number = session, year, self.sequences[key]
                suggestion.state, suggestion.submitted_at = G.SUBMITTED, at
                record(gm.Step.SUBMIT, at, lead_user, previous,
                       (session.name if session else "闭会期间") + " " + suggestion.code)
            elif step == "withdraw":
                suggestion.state = G.WITHDRAWN
                record(gm.Step.WITHDRAW, at, lead_user, previous, "已与有关部门当面沟通，问题已解决。")
            elif step == "convert":
                suggestion.state, suggestion.reference_reason = G.REFERENCE, "内容属于一般性工作意见，转有关部门参阅。"
                record(gm.Step.CONVERT, at, self.staff, previous, suggestion.reference_reason)
            elif step == "merge":
                targets = [s for s in rows[-200:] if s.year == year and s.state not in gm.COUNTED_OUT
                           and s.state != G.REFERENCE]
                if not targets:
                    suggestion.state = G.ACCEPTED
                    record(gm.Step.ACCEPT, at, self.staff, previous)
                    continue
                target = rng.choice(targets)
                suggestion.state = G.MERGED
                record(gm.Step.MERGE, at, self.staff, previous, f"并入{target.code}")
                suggestion.synthetic_merge = (target, at)
            elif step == "accept":
                suggestion.state = G.ACCEPTED
                record(gm.Step.ACCEPT, at, self.staff, previous)
            elif step == "assign":
                day = timezone.localtime(at).date()
                suggestion.state, suggestion.lead_unit, suggestion.assigned_at = G.ASSIGNED, unit, at
                suggestion.deadline = add_months(day, settings.SUGGESTION_REPLY_MONTHS)
                suggestion.max_deadline = add_months(day, settings.SUGGESTION_MAX_MONTHS)
                extra["assignments"].append(gm.Assignment(unit=unit, role=gm.Assignment.Role.LEAD, assigned_at=at))
                extra["assignments"] += [gm.Assignment(unit=u, role=gm.Assignment.Role.CO, assigned_at=at)
                                         for u in co_units]
                record(gm.Step.ASSIGN, at, self.staff, previous,
                       "主办：" + unit.name + ("；协办：" + "、".join(u.name for u in co_units) if co_units else ""))
            elif step == "supervise":
                suggestion.is_key, suggestion.supervisor = True, f"县人大常委会副主任 {names.person_name(rng)}"
                record(gm.Step.SUPERVISE, at, self.staff, previous, f"督办领导：{suggestion.supervisor}。")
            elif step == "request_extension":
                previous_deadline = suggestion.deadline
                until = min(add_months(previous_deadline, 1), suggestion.max_deadline)
                if until <= previous_deadline:
                    continue
                extension = gm.Extension(unit=unit, until=until, reason="涉及多个部门协调，需要更多时间。",
                                         previous_deadline=previous_deadline, requested_by=unit_user, requested_at=at)
                extra["extensions"].append(extension)
                record(gm.Step.REQUEST_EXTENSION, at, unit_user, previous, extension.reason)
            elif step == "grant_extension":
                if not extra["extensions"] or suggestion.state != G.ASSIGNED:
                    continue
                extension = extra["extensions"][-1]
                extension.status, extension.decided_by, extension.decided_at = (
                    gm.Extension.Status.GRANTED, self.staff, at)
                suggestion.deadline = min(extension.until, suggestion.max_deadline)
                record(gm.Step.GRANT_EXTENSION, at, self.staff, previous)
            elif step == "contact":
                if suggestion.state not in gm.HANDLING:
                    continue
                method = rng.choice(list(gm.Contact.Method))
                extra["contacts"].append(gm.Contact(
                    round=suggestion.round, unit=unit, contacted_on=timezone.localtime(at).date(), method=method,
                    note="与领衔代表沟通了办理思路和时限。", recorded_by=unit_user, created_at=at))
                record(gm.Step.CONTACT, at, unit_user, previous, gm.Contact.Method(method).label)
            elif step == "input":
                for assignment in extra["assignments"]:
                    if assignment.role == gm.Assignment.Role.CO:
                        assignment.input, assignment.input_at = "同意主办单位的办理意见，将配合落实。", at
                        record(gm.Step.INPUT, at, self.unit_users[assignment.unit.pk], previous)
            elif step == "reply":
                if suggestion.state not in gm.HANDLING:
                    continue
                if suggestion.is_key:
                    month = timezone.localtime(suggestion.assigned_at).date().replace(day=1)
                    while month < timezone.localtime(at).date().replace(day=1):
                        month = add_months(month, 1)
                        extra["progress"].append(gm.Progress(unit=unit, month=month, text="正在推进，已完成方案设计。",
                                                             reported_by=unit_user, reported_at=aware(month, 16)))
                day = timezone.localtime(at).date()
                result_class = rng.choices(list(gm.ReplyClass), weights=[62, 30, 8])[0]
                in_time = day <= suggestion.deadline
                reply = gm.Reply(
                    round=suggestion.round, unit=unit, result_class=result_class,
                    text=rng.choice(text.SUGGESTION_REPLIES), attachment=REPLY_PDF,
                    contact_person=unit.contact_person, contact_phone=unit.contact_phone, replied_by=unit_user,
                    replied_at=at, deadline=suggestion.deadline, in_time=in_time,
                )
                extra["replies"].append(reply)
                suggestion.state, suggestion.reply_class, suggestion.replied_at = G.REPLIED, result_class, at
                suggestion.first_replied_at = suggestion.first_replied_at or at
                suggestion.replied_late = suggestion.replied_late or not in_time
                record(gm.Step.REPLY, at, unit_user, previous,
                       gm.ReplyClass(result_class).label + ("" if in_time else "（逾期答复）"))
            elif step in ("evaluate", "evaluate_unsatisfied"):
                if suggestion.state != G.REPLIED:
                    continue
                rating = gm.Rating.UNSATISFIED if step == "evaluate_unsatisfied" else rng.choices(
                    [gm.Rating.SATISFIED, gm.Rating.BASIC], weights=[80, 20])[0]
                comment = "答复未解决实际问题，群众仍有意见。" if rating == gm.Rating.UNSATISFIED else ""
                extra["evaluations"].append(gm.Evaluation(round=suggestion.round, reply=reply, rating=rating,
                                                          comment=comment, evaluated_by=lead_user, evaluated_at=at))
                suggestion.rating = rating
                if rating != gm.Rating.UNSATISFIED:
                    suggestion.state = G.EVALUATED
                elif suggestion.round == 1:
                    suggestion.state, suggestion.round = G.REHANDLING, 2
                    suggestion.deadline = add_months(timezone.localtime(at).date(), settings.SUGGESTION_REHANDLE_MONTHS)
                    suggestion.max_deadline = suggestion.deadline
                else:
                    suggestion.state = G.HEARING
                record(gm.Step.EVALUATE, at, lead_user, G.REPLIED,
                       f"{gm.Rating(rating).label}。{comment}".strip("。"))
            elif step == "close":
                if suggestion.state != G.EVALUATED:
                    continue
                suggestion.state, suggestion.closed_at = G.CLOSED, at
                record(gm.Step.CLOSE, at, self.staff, previous)
            elif step == "hearing":
                if suggestion.state != G.HEARING:
                    continue
                kind = rng.choice(list(gm.Hearing.Kind))
                extra["hearings"].append(gm.Hearing(kind=kind, held_on=timezone.localtime(at).date(),
                                                    conclusion="经评议，承办单位已尽力办理，同意办结。",
                                                    recorded_by=self.staff, recorded_at=at))
                suggestion.state, suggestion.closed_at = G.CLOSED, at
                record(gm.Step.HEARING, at, self.staff, previous, gm.Hearing.Kind(kind).label)
            elif step == "publish":
                if reply is not None and suggestion.state in gm.HAS_REPLY:
                    reply.is_public, reply.published_at = True, at
                    record(gm.Step.PUBLISH, at, self.staff, previous)
        return suggestion, extra

    # --- activities and learning ------------------------------------------------------------

    def activity_day(self, number):
        """Most activities fall anywhere in the window. The first ones are pinned near today, so
        that every data set, however small and whatever the date, has upcoming activities and
        activities already held this year (with attendance) for the pages that list them."""
        this_year = date(self.today.year, 1, 1)
        if number < 2:
            return self.day_in(self.today + timedelta(days=1), self.today + timedelta(days=45))
        if number < 4 and self.today > this_year:
            return self.day_in(this_year, self.today - timedelta(days=1))
        return self.day_in(self.start, self.today + timedelta(days=45))

    def activities(self):
        rng = self.rng
        kinds = list(sm.Activity.Kind)
        rows = []
        for number in range(self.sizes.per_window("activities")):
            day = self.activity_day(number)
            starts = aware(day, rng.choice([9, 14]))
            # The pinned ones (activity_day) alternate: held by the county, then at a station.
            pinned = number < 4
            station = (None if pinned and number % 2 == 0 else rng.choice(self.stations_with_members)
                       if pinned or rng.random() < 0.7 else None)
            kind = kinds[number % len(kinds)]
            place = station.name if station else "县人大常委会会议室"
            rows.append(sm.Activity(
                title=text.ACTIVITY_TITLES[kind].format(
                    t=self.townships[number % len(self.townships)].name if station is None else station.township.name,
                    n=number // len(kinds) + 1),
                kind=kind, description="请报名参加的代表准时出席。", starts_at=starts,
                ends_at=starts + timedelta(hours=rng.choice([2, 3])), place=place, station=station,
                region=station.township if station else None, capacity=rng.choice([None, 20, 30, 50]),
                signup_deadline=starts - timedelta(days=rng.randint(1, 5)),
                status=(sm.Activity.Status.CANCELLED if not pinned and rng.random() < 0.03
                        else sm.Activity.Status.PUBLISHED),
                organizer=station.manager if station else self.staff,
                created_at=starts - timedelta(days=rng.randint(7, 20)),
            ))
        with explicit_timestamps((sm.Activity, "created_at"), (sm.MaterialRead, "read_at")):
            activities = self.bulk(sm.Activity, rows)
            signups, signups_of_demo = [], []
            for activity in activities:
                pool = ([self.deputy_by_id[d] for d in self.members.get(activity.station_id, [])]
                        if activity.station_id else self.active)
                chosen = rng.sample(pool, min(len(pool), rng.randint(2, CITY["signups_per_activity"] * 2 - 2)))
                # The demo deputy signs up for the activities pinned near today (activity_day).
                if len(signups_of_demo) < 4 and self.demo_deputy in pool and self.demo_deputy not in chosen:
                    chosen = [self.demo_deputy, *chosen[1:]]
                if self.demo_deputy in chosen:
                    signups_of_demo.append(activity)
                if activity.capacity:
                    chosen = chosen[: activity.capacity]
                past = activity.starts_at < self.now
                for deputy in chosen:
                    cancelled = rng.random() < 0.05 and deputy != self.demo_deputy
                    signups.append(sm.ActivitySignup(
                        activity=activity, deputy=deputy, signed_up_at=activity.created_at + timedelta(hours=rng.randint(1, 48)),
                        cancelled_at=activity.signup_deadline - timedelta(hours=2) if cancelled else None,
                        # The demo deputy attends what they sign up for.
                        attendance=(sm.ActivitySignup.Attendance.UNKNOWN if not past or cancelled
                                    else sm.ActivitySignup.Attendance.ATTENDED if deputy == self.demo_deputy
                                    else rng.choices([sm.ActivitySignup.Attendance.ATTENDED,
                                                      sm.ActivitySignup.Attendance.ABSENT], weights=[88, 12])[0]),
                    ))
            self.bulk(sm.ActivitySignup, signups)
            weeks = (self.today - self.start).days // 7
            per_week = max(1, round(self.sizes.of("materials") / 52))
            materials = []
            for week in range(weeks + 1):
                for n in range(per_week):
                    published = aware(self.start + timedelta(weeks=week), 9 + n)
                    materials.append(sm.LearningMaterial(
                        title=f"代表履职学习资料（{published.year}年第{week % 52 + 1}期）",
                        body="学习全过程人民民主重大理念，学习《代表法》和代表建议办理工作规定。",
                        published_at=published, published_by=self.staff))
            materials = self.bulk(sm.LearningMaterial, materials)
            recent = [m for m in materials if m.published_at >= aware(self.today - timedelta(days=365), 0)]
            reads = []
            for deputy in self.active:
                for material in recent:
                    if rng.random() < 0.2:
                        reads.append(sm.MaterialRead(material=material, deputy=deputy,
                                                     read_at=self.moment_in(material.published_at,
                                                                            material.published_at + timedelta(days=10))))
            self.bulk(sm.MaterialRead, reads)

    # --- votes ------------------------------------------------------------------------------

    def votes(self):
        year = self.today.year
        county_plan = [(year - 2, vm.VoteStatus.EVALUATED), (year - 1, vm.VoteStatus.EVALUATED),
                       (year, vm.VoteStatus.IMPLEMENTING), (year + 1, vm.VoteStatus.COLLECTING)]
        for vote_year, status in county_plan:
            self.make_vote(vote_year, status, township=None, seats=10)
        with_congress = [t for t in self.townships if t.pk in self.township_congresses]
        for township in with_congress[:max(1, len(self.townships) // 20)]:
            self.make_vote(year - 1, vm.VoteStatus.PUBLISHED, township=township, seats=5)
            self.make_vote(year, vm.VoteStatus.VOTING, township=township, seats=5)

    def make_vote(self, year, status, *, township, seats):
        rng = self.rng
        S = vm.VoteStatus
        congress = self.township_congresses.get(township.pk) if township else self.county_congress
        if congress is None:
            return None
        session = (self.township_sessions.get((township.pk, year)) if township else self.county_sessions.get(year))
        if session is None and status != S.COLLECTING:
            return None
        scope = township.name if township else "县"
        opens = aware(session.start_date, 9) if session else None
        closes = aware(session.end_date, 12) if session else None
        if status == S.VOTING:
            opens, closes = self.now - timedelta(days=1), self.now + timedelta(days=7)
        vote = vm.ProjectVote(
            title=f"{year}年{scope}民生实事项目票决", year=year, congress=congress, term=18,
            session=session if status != S.COLLECTING else None,
            description="广泛征集群众最关心、最直接、最现实的民生实事项目。",
            collection_deadline=date(year - 1, 11, 30), seats=seats, opens_at=opens if status != S.COLLECTING else None,
            closes_at=closes if status != S.COLLECTING else None, status=status,
        )
        vote.save()
        events = [("created", "", S.COLLECTING, aware(date(year - 1, 9, 1)))]
        proposals = []
        sources = list(vm.ProposalSource)
        for n in range(rng.randint(seats * 3, seats * 5)):
            source = rng.choice(sources)
            deputy = rng.choice(self.active) if source == vm.ProposalSource.DEPUTY else None
            unit = rng.choice(self.units) if source == vm.ProposalSource.DEPARTMENT else None
            station = rng.choice(self.station_rows) if source == vm.ProposalSource.STATION else None
            title = rng.choice(text.PROJECT_TITLES)
            proposals.append(vm.Proposal(
                vote=vote, title=f"{title}（{n + 1}）", description=f"建议实施{title}，惠及周边群众。",
                location=rng.choice(self.townships).name, beneficiaries="周边群众约三千人", source=source,
                station_code=station.code if station else "", station_name=station.name if station else "",
                deputy=deputy, handling_unit=unit,
                contact_name=names.person_name(rng) if source == vm.ProposalSource.PUBLIC else "",
                contact_phone=self.phone() if source == vm.ProposalSource.PUBLIC else "",
            ))
        with explicit_timestamps((vm.Proposal, "created_at")):
            for proposal in proposals:
                proposal.created_at = self.moment_in(aware(date(year - 1, 9, 2)), aware(date(year - 1, 11, 30)))
            proposals = self.bulk(vm.Proposal, proposals)
        if status == S.COLLECTING:
            return vote
        events.append((S.SCREENING, S.COLLECTING, S.SCREENING, aware(date(year - 1, 12, 1))))
        count = seats + 2
        chosen = proposals[:count]
        for proposal in proposals[count:]:
            if rng.random() < 0.3:
                proposal.status, proposal.merged_into = vm.ProposalStatus.MERGED, rng.choice(chosen)
                proposal.status_reason = "与已列入候选的项目内容重复，合并办理。"
            else:
                proposal.status, proposal.status_reason = vm.ProposalStatus.REJECTED, "不属于政府年度可实施的项目。"
        for proposal in chosen:
            proposal.status = vm.ProposalStatus.CANDIDATE
        vm.Proposal.objects.bulk_update(proposals, ["status", "merged_into", "status_reason"])
        feasibility = []
        candidates = []
        for number, proposal in enumerate(chosen, start=1):
            unit = rng.choice(self.units)
            budget = Decimal(rng.randint(50, 3000))
            feasibility.append(vm.FeasibilityRequest(
                proposal=proposal, unit=unit, question="请论证投资规模和实施周期。", due_date=date(year - 1, 12, 20),
                requested_by=self.staff, feasible=True, cost_estimate=budget, responsible_unit=unit,
                timeline="一年", opinion="项目可行。", answered_by=self.unit_users[unit.pk],
                answered_at=aware(date(year - 1, 12, 15))))
            candidates.append(vm.Candidate(
                vote=vote, number=number, proposal=proposal, title=proposal.title, summary=proposal.description,
                location=proposal.location, responsible_unit=unit, budget=budget,
                planned_completion=date(year, 12, 31),
            ))
        with explicit_timestamps((vm.FeasibilityRequest, "requested_at")):
            for request in feasibility:
                request.requested_at = aware(date(year - 1, 12, 5))
            self.bulk(vm.FeasibilityRequest, feasibility)
        candidates = self.bulk(vm.Candidate, candidates)
        if status == S.SCREENING:
            return vote
        electorate = [d for d in self.active if d.term == 18 and self.congress_of(d) == congress]
        vote.eligible_count = len(electorate)
        events.append((S.VOTING, S.SCREENING, S.VOTING, opens))
        turnout = 0.45 if status == S.VOTING else 0.93
        popularity = [rng.uniform(0.6, 0.95) if i < seats else rng.uniform(0.2, 0.5) for i in range(len(candidates))]
        rng.shuffle(popularity)
        records, ballots = [], []
        for deputy in electorate:
            voted = rng.random() < turnout and deputy.pk != self.demo_deputy.pk
            records.append(vm.VoterRecord(vote=vote, deputy=deputy, voted=voted))
            if voted:
                marks = ["Y" if rng.random() < p else ("A" if rng.random() < 0.05 else "N") for p in popularity]
                while marks.count("Y") > seats:
                    marks[max((i for i, m in enumerate(marks) if m == "Y"), key=lambda i: -popularity[i])] = "N"
                ballots.append("".join(marks))
        rng.shuffle(ballots)
        self.bulk(vm.VoterRecord, records)
        self.bulk(vm.Ballot, [vm.Ballot(id=uuid.UUID(int=rng.getrandbits(128), version=4), vote=vote, content=line)
                              for line in ballots])
        vote.mixed_ballot_count = len(ballots)
        if status != S.VOTING:
            result, lines = vote_result(vote, with_lines=True)
            vote.result_digest = tally.digest(lines)
            vote.published_at = closes + timedelta(hours=2)
            ranks = {row.candidate_id: row.rank for row in result.rows}
            for candidate in candidates:
                candidate.elected = candidate.pk in result.elected_ids
                candidate.rank = ranks.get(candidate.pk)
            events.append((S.PUBLISHED, S.VOTING, S.PUBLISHED, vote.published_at))
        if status in (S.IMPLEMENTING, S.EVALUATED):
            started = session.end_date + timedelta(days=30)
            events.append((S.IMPLEMENTING, S.PUBLISHED, S.IMPLEMENTING, aware(started)))
            self.implement(vote, [c for c in candidates if c.elected], started, electorate,
                           evaluate=status == S.EVALUATED)
            if status == S.EVALUATED:
                vote.evaluation_opened_at = aware(date(year, 12, 1))
                events.append(("evaluation_opened", "", "", vote.evaluation_opened_at))
                events.append((S.EVALUATED, S.IMPLEMENTING, S.EVALUATED, aware(date(year, 12, 28))))
        vm.Candidate.objects.bulk_update(candidates, ["elected", "rank", "implementation_started_on",
                                                      "progress_percent", "completed_on"])
        vote.save()
        self.bulk(vm.VoteEvent, [vm.VoteEvent(vote=vote, action=action, from_status=from_status, to_status=to_status,
                                              by=self.staff, at=at) for action, from_status, to_status, at in events
                                 if at is not None and at <= self.now])
        return vote

    def implement(self, vote, elected, started, electorate, *, evaluate):
        rng = self.rng
        milestones, reports, inspections, evaluations = [], [], [], []
        for candidate in elected:
            candidate.implementation_started_on = started
            finish = min(self.today, date(vote.year, 12, 20))
            months = []
            month = started.replace(day=1)
            while month <= finish.replace(day=1):
                months.append(month)
                month = add_months(month, 1)
            done = evaluate or rng.random() < 0.3
            percent = 0
            for index, month in enumerate(months):
                percent = 100 if done and index == len(months) - 1 else min(95, round(100 * (index + 1) / 12))
                reports.append(vm.ProgressReport(candidate=candidate, month=month, percent=percent,
                                                 text=f"完成年度计划的{percent}%。",
                                                 reported_by=self.unit_users[candidate.responsible_unit_id]))
            candidate.progress_percent = percent
            candidate.completed_on = finish if done and percent == 100 else None
            for n, title in enumerate(["完成项目立项", "开工建设", "完工验收"]):
                due = add_months(started, 3 * (n + 1))
                milestones.append(vm.Milestone(candidate=candidate, title=title, due_date=due,
                                               done_on=due if due <= self.today and (done or n < 2) else None))
            for deputy in rng.sample(electorate, min(2, len(electorate))):
                inspections.append(vm.Inspection(candidate=candidate, deputy=deputy,
                                                 visited_on=self.day_in(started, finish),
                                                 note="施工进度正常，建议加强质量监管。"))
            if evaluate:
                for deputy in rng.sample(electorate, len(electorate) * 6 // 10):
                    evaluations.append(vm.Evaluation(
                        candidate=candidate, deputy=deputy,
                        rating=rng.choices(list(vm.Rating), weights=[80, 15, 5])[0]))
        with explicit_timestamps((vm.ProgressReport, "created_at"), (vm.ProgressReport, "updated_at"),
                                 (vm.Inspection, "created_at"), (vm.Evaluation, "updated_at")):
            for report in reports:
                report.created_at = report.updated_at = aware(report.month + timedelta(days=24), 16)
            for inspection in inspections:
                inspection.created_at = aware(inspection.visited_on, 17)
            for evaluation in evaluations:
                evaluation.updated_at = aware(date(vote.year, 12, rng.randint(2, 20)))
            self.bulk(vm.Milestone, milestones)
            self.bulk(vm.ProgressReport, reports)
            self.bulk(vm.Inspection, inspections)
            self.bulk(vm.Evaluation, evaluations)

    # --- notifications, audit, awards --------------------------------------------------------

    def notifications(self):
        """The in-app messages the services would have sent for the records above."""
        rng = self.rng
        suggestion_by_id = {s.pk: s for s in self.suggestion_rows}
        told = {gm.Step.ACCEPT: "您的建议已立案", gm.Step.REPLY: "承办单位已答复您的建议，请进行满意度测评",
                gm.Step.CLOSE: "您的建议已办结", gm.Step.CONVERT: "您的建议已转为参阅件"}
        kind_of = {gm.Step.ACCEPT: "suggestion_accepted", gm.Step.REPLY: "suggestion_replied",
                   gm.Step.CLOSE: "suggestion_closed", gm.Step.CONVERT: "suggestion_converted"}
        rows = []
        for entry in self.suggestion_entries:
            if entry.step in told:
                suggestion = suggestion_by_id[entry.suggestion_id]
                user = self.deputy_user[suggestion.lead_deputy_id]
                rows.append(Notification(
                    recipient=user, key=f"suggestion-step:{entry.pk}:{user.pk}", kind=kind_of[entry.step],
                    title=f"{told[entry.step]}：{suggestion.code}《{suggestion.title}》"[:200],
                    url=f"/suggestions/{suggestion.pk}/", created_at=entry.at,
                    read_at=entry.at + timedelta(hours=rng.randint(1, 72)) if entry.at < self.now - timedelta(days=7) else None,
                ))
        for entry in self.opinion_entries:
            if entry.step == om.Step.REFER:
                user = self.unit_users[entry.unit_id]
                rows.append(Notification(
                    recipient=user, key=f"opinion-referred:{entry.pk}:{user.pk}", kind="opinion_referred",
                    title="收到一条转交办理的群众意见", url=f"/opinions/{entry.opinion_id}/", created_at=entry.created_at,
                    read_at=entry.created_at + timedelta(hours=4) if entry.created_at < self.now - timedelta(days=7) else None,
                ))
        with explicit_timestamps((Notification, "created_at")):
            self.bulk(Notification, rows)

    def audit(self):
        rng = self.rng
        deputy_type = ContentType.objects.get_for_model(Deputy)
        station_type = ContentType.objects.get_for_model(sm.Station)
        rows = [AuditEntry(actor=self.staff, action=AuditEntry.Action.IMPORT, object_repr="代表名册导入",
                           changes={"rows": len(self.all_deputies)}, created_at=aware(self.start, 9))]
        rows += [AuditEntry(actor=self.staff, action=AuditEntry.Action.CREATE, content_type=station_type,
                            object_id=str(s.pk), object_repr=s.name[:200], created_at=aware(self.start, 10))
                 for s in self.station_rows]
        for deputy in rng.sample(self.all_deputies, len(self.all_deputies) // 5):
            rows.append(AuditEntry(actor=self.staff, action=AuditEntry.Action.UPDATE, content_type=deputy_type,
                                   object_id=str(deputy.pk), object_repr=deputy.name,
                                   changes={"occupation": ["", deputy.occupation]},
                                   created_at=self.moment_in(aware(self.start, 9), self.now)))
        day = self.today - timedelta(days=120)
        while day < self.today:
            if day.weekday() < 5:
                for user in (self.staff, self.admin, self.township_staff):
                    rows.append(AuditEntry(actor=user, action=AuditEntry.Action.LOGIN, object_repr=user.username,
                                           ip_address=f"10.0.0.{rng.randint(2, 250)}", created_at=aware(day, 8, 30)))
            day += timedelta(days=1)
        with explicit_timestamps((AuditEntry, "created_at")):
            self.bulk(AuditEntry, rows)
        # “四最” given for last year.
        last = self.today.year - 1
        closed = [s for s in self.suggestion_rows if s.year == last and s.state == gm.State.CLOSED]
        awards = [Award(year=last, kind=Award.Kind.BEST_DEPUTY, deputy=d, awarded_by=self.admin, citation="履职积极，联系群众紧密。")
                  for d in rng.sample(self.active, 3)]
        awards += [Award(year=last, kind=Award.Kind.BEST_STATION, station=s, awarded_by=self.admin, citation="接待群众成效明显。")
                   for s in rng.sample(self.stations_with_members, min(3, len(self.stations_with_members)))]
        awards += [Award(year=last, kind=Award.Kind.BEST_SUGGESTION, suggestion=s, awarded_by=self.admin, citation="建议质量高，办理成效好。")
                   for s in rng.sample(closed, min(3, len(closed)))]
        awards += [Award(year=last, kind=Award.Kind.BEST_UNIT, unit=u, awarded_by=self.admin, citation="办理认真，答复及时。")
                   for u in rng.sample(self.units, 2)]
        self.bulk(Award, awards)


# Every synthetic reply points at one small signed-reply PDF, written once into the media storage
# (MEDIA_ROOT, or the bucket with MEDIA_STORAGE=s3).
REPLY_PDF = "suggestions/replies/synthetic/reply.pdf"


def write_reply_pdf():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not default_storage.exists(REPLY_PDF):
        default_storage.save(REPLY_PDF, ContentFile(
            b"%PDF-1.4\n% synthetic reply\n1 0 obj << /Type /Catalog >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n"))


def database_state():
    """'empty', 'synthetic' or 'other' (real or demo data: never mixed with a synthetic set)."""
    counts = {
        "townships": Township.objects.count(), "deputies": Deputy.objects.count(),
        "stations": sm.Station.objects.count(), "users": get_user_model().objects.count(),
        "opinions": om.Opinion.objects.count(), "suggestions": gm.Suggestion.objects.count(),
    }
    if not any(counts.values()):
        return "empty", counts
    if counts["townships"] and not Township.objects.exclude(code__startswith=SYNTHETIC_CODE_PREFIX).exists():
        return "synthetic", counts
    return "other", counts


def generate(*, factor, seed, today=None, batch_size=2000, log=None, counties=None):
    write_reply_pdf()
    generator = Generator(factor=factor, seed=seed, today=today, batch_size=batch_size, log=log, counties=counties)
    result = generator.run()
    result.counties = generator.counties
    return result
