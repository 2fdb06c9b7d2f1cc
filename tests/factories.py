import factory
from django.contrib.auth import get_user_model

from accounts.models import Role
from deputies.models import CongressSession, Deputy, DeputyGroup, Level
from divisions.models import HandlingUnit, Township, Village


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

    level = Level.COUNTY
    term = 18
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"县第十八届人民代表大会第{o.number}次会议")
    start_date = factory.Faker("date_object")
    end_date = factory.LazyAttribute(lambda o: o.start_date)
