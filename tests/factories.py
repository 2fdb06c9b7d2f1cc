import factory
from django.contrib.auth import get_user_model

from accounts.models import Role
from deputies.models import CongressSession, Deputy, DeputyGroup, Level
from divisions.models import Congress, HandlingUnit, Township, Village


def congress_of(level, township=None):
    """The congress of a level: a township's own for `township` level, else the default county's."""
    if level == Level.TOWNSHIP and township is not None:
        return Congress.objects.of(township)
    return Congress.objects.default()


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试{n}镇")
    sort_order = factory.Sequence(int)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试{n}村")


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"县测试{n}局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DeputyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeputyGroup

    name = factory.Sequence(lambda n: f"测试代表小组{n}")


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Deputy.Gender.MALE
    level = Level.COUNTY
    term = 18
    township = factory.SubFactory(TownshipFactory)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    status = Deputy.Status.ACTIVE


class CongressSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CongressSession

    class Params:
        level = Level.COUNTY
        township = None

    congress = factory.LazyAttribute(lambda o: congress_of(o.level, o.township))
    term = 18
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"县第十八届人民代表大会第{o.number}次会议")
    start_date = factory.Faker("date_object")
    end_date = factory.LazyAttribute(lambda o: o.start_date)


# --- stations ---------------------------------------------------------------------------------
import datetime as _dt  # noqa: E402

from django.utils import timezone as _tz  # noqa: E402

from stations.models import (  # noqa: E402
    Activity,
    Category,
    DutyRule,
    Reception,
    Station,
    StationMembership,
    Visit,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["name"]

    name = "交通出行"


class DutyRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyRule

    name = factory.Sequence(lambda n: f"值班规则{n}")
    kind = DutyRule.Kind.DAYS_OF_MONTH
    days = factory.LazyFunction(lambda: [6, 16, 26])


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"测试{n}代表联络站")
    kind = Station.Kind.STATION
    township = factory.SubFactory(TownshipFactory)
    address = "人民路1号"


class StationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationMembership

    station = factory.SubFactory(StationFactory)
    deputy = factory.SubFactory(DeputyFactory, township=factory.SelfAttribute("..station.township"))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    deputy = factory.SubFactory(DeputyFactory)
    station = factory.SubFactory(StationFactory)
    date = factory.LazyFunction(_tz.localdate)
    start_time = _dt.time(9, 0)
    end_time = _dt.time(11, 0)
    recorded_by = factory.LazyAttribute(lambda o: o.deputy.user)


class ReceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reception

    visit = factory.SubFactory(VisitFactory)
    visitor_name = "李大爷"
    visitor_phone = "13812341234"
    category = factory.SubFactory(CategoryFactory)
    content = "村口道路坑洼，雨天积水，希望尽快修补。"
    handling = Reception.Handling.ANSWERED


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"测试活动{n}")
    kind = Activity.Kind.RESEARCH
    starts_at = factory.LazyFunction(lambda: _tz.now() + _dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + _dt.timedelta(hours=3))
    signup_deadline = factory.LazyAttribute(lambda o: o.starts_at - _dt.timedelta(days=1))
    place = "县人大常委会会议室"

    class Params:
        township = None

    region = factory.LazyAttribute(lambda o: o.township)
