"""Demo divisions, handling units, accounts, groups, sessions and 300 deputies."""

import random
from contextlib import contextmanager
from datetime import date, datetime, time
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import PasswordHistory, Role
from demo import names
from deputies.models import CongressSession, Deputy, DeputyGroup, Level
from divisions.models import Congress, HandlingUnit, Township, Village

DEMO_PASSWORD = "lianxin-demo"
DEPUTY_COUNT = 300
# How many deputies of each level the demo county has (of 300).
LEVEL_SHARES = [
    (Level.NATIONAL, 2), (Level.PROVINCIAL, 8), (Level.MUNICIPAL, 25), (Level.COUNTY, 195), (Level.TOWNSHIP, 70),
]
TERMS = {Level.NATIONAL: 14, Level.PROVINCIAL: 14, Level.MUNICIPAL: 17, Level.COUNTY: 18, Level.TOWNSHIP: 18}


@contextmanager
def clock(day, hour=10, minute=0):
    """Run services as if it were `day` at `hour`:`minute` (Asia/Shanghai); never later than
    now, so the story stays in the past on any machine."""
    moment = min(timezone.make_aware(datetime.combine(day, time(hour, minute))), timezone.now())
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield



def seed_divisions():
    townships = []
    for order, (name, kind) in enumerate(names.TOWNSHIPS, start=1):
        township, _ = Township.objects.get_or_create(
            name=name, defaults={"kind": kind, "sort_order": order, "code": f"3201990{order:02d}"}
        )
        townships.append(township)
    rng = random.Random(7)
    for township in townships:
        kind = Village.Kind.COMMUNITY if township.kind == Township.Kind.SUBDISTRICT else Village.Kind.VILLAGE
        suffix = "社区" if kind == Village.Kind.COMMUNITY else "村"
        for village_name in rng.sample(names.VILLAGE_NAMES, 8):
            Village.objects.get_or_create(
                township=township, name=village_name + suffix, defaults={"kind": kind}
            )
    for name, short in names.HANDLING_UNITS:
        HandlingUnit.objects.get_or_create(name=name, defaults={"short_name": short})
    return townships


def seed_groups(townships):
    groups = []
    for township in townships:
        group, _ = DeputyGroup.objects.get_or_create(
            name=f"{township.name}代表小组",
            defaults={"kind": DeputyGroup.Kind.TERRITORIAL, "township": township},
        )
        groups.append(group)
    for name in ["农业农村专业代表小组", "教育科技专业代表小组", "财政经济专业代表小组", "社会建设专业代表小组"]:
        DeputyGroup.objects.get_or_create(name=name, defaults={"kind": DeputyGroup.Kind.PROFESSIONAL})
    return groups


def seed_sessions():
    sessions = {}
    for number, year in [(1, 2022), (2, 2023), (3, 2024), (4, 2025), (5, 2026)]:
        session, _ = CongressSession.objects.get_or_create(
            congress=Congress.objects.default(),
            term=18,
            number=number,
            defaults={
                "name": f"县第十八届人民代表大会第{'一二三四五'[number - 1]}次会议",
                "start_date": date(year, 1, 8),
                "end_date": date(year, 1, 11),
            },
        )
        sessions[year] = session
    return sessions


def seed_deputies(townships, groups):
    rng = random.Random(2026)
    levels = [level for level, count in LEVEL_SHARES for _ in range(count)]
    rng.shuffle(levels)
    existing = set(Deputy.objects.filter(phone__startswith="1390000").values_list("phone", flat=True))
    new = []
    for index, level in enumerate(levels):
        phone = f"1390000{index:04d}"
        township = townships[index % len(townships)]
        village = names.VILLAGE_NAMES[rng.randrange(len(names.VILLAGE_NAMES))]
        female = rng.random() < 0.32
        name = names.person_name(rng, female)
        gender = Deputy.Gender.FEMALE if female else Deputy.Gender.MALE
        occupation = rng.choice(names.OCCUPATIONS).format(t=township.name, v=village)
        fields = {
            "name": name,
            "gender": gender,
            "ethnicity": rng.choice(names.ETHNICITIES),
            "birth_date": date(rng.randint(1962, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            "party": rng.choice(names.PARTIES),
            "level": level,
            "term": TERMS[level],
            "constituency": f"第{index % 40 + 1}选区（{township.name}）",
            "township": township,
            "group": groups[index % len(townships)],
            "occupation": occupation,
            "sector": rng.choice(list(Deputy.Sector)),
            "phone": phone,
            "status": Deputy.Status.TERMINATED if index % 97 == 96 else Deputy.Status.ACTIVE,
        }
        if phone not in existing:
            new.append(Deputy(**fields))
    for deputy in new:
        deputy.save()
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    for deputy in Deputy.objects.filter(user__isnull=True, phone__startswith="1390000"):
        user = User.objects.create(
            username=deputy.phone, name=deputy.name, phone=deputy.phone, role=Role.DEPUTY,
            password=password, is_active=deputy.is_active,
        )
        Deputy.objects.filter(pk=deputy.pk).update(user=user)
    return Deputy.objects.filter(phone__startswith="1390000")


def seed_accounts(townships):
    """The demo logins: admin, staff, deputy, unit (password lianxin-demo), plus a township staff."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)

    def account(username, **fields):
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created or not user.has_usable_password():
            user.password = password
            user.save(update_fields=["password"])
        elif user.check_password(DEMO_PASSWORD):
            # The published demo password is exempt from PASSWORD_MAX_AGE_DAYS by design: every
            # seed (every `make run`) dates it anew, so the demo logins always work.
            PasswordHistory.record(user)
        return user

    account("admin", name="系统管理员", role=Role.ADMIN, is_staff=True, is_superuser=True)
    account("staff", name="代表工委 周敏", role=Role.STAFF)
    account("staff_qs", name="青山镇人大 王磊", role=Role.STAFF, region=townships[3])
    account(
        "unit", name="县交通运输局 李华", role=Role.UNIT,
        handling_unit=HandlingUnit.objects.get(name="县交通运输局"),
    )
    # The demo deputy: a county deputy of 城关镇, linked to a real registry entry.
    deputy = (
        Deputy.objects.filter(level=Level.COUNTY, township=townships[0], status=Deputy.Status.ACTIVE)
        .order_by("phone")
        .first()
    )
    user = account("deputy", name=deputy.name, role=Role.DEPUTY)
    if deputy.user_id != user.pk:
        old = deputy.user
        Deputy.objects.filter(user=user).exclude(pk=deputy.pk).update(user=None)
        Deputy.objects.filter(pk=deputy.pk).update(user=user)
        if old is not None and old.pk != user.pk:
            old.is_active = False
            old.save(update_fields=["is_active"])
    return user


def seed():
    townships = seed_divisions()
    groups = seed_groups(townships)
    sessions = seed_sessions()
    deputies = seed_deputies(townships, groups)
    seed_accounts(townships)
    leaders = {}
    for group in DeputyGroup.objects.filter(leader__isnull=True, kind=DeputyGroup.Kind.TERRITORIAL):
        leader = deputies.filter(group=group, status=Deputy.Status.ACTIVE).order_by("phone").first()
        if leader:
            group.leader = leader
            group.save(update_fields=["leader"])
            leaders[group.pk] = leader
    return {"townships": townships, "sessions": sessions}
