import pytest
from django.core.cache import cache

from accounts.models import Role
from tests.factories import (
    CategoryFactory,
    DeputyFactory,
    HandlingUnitFactory,
    StationFactory,
    StationMembershipFactory,
    TownshipFactory,
    UserFactory,
)
from tests.opinions.factories import OpinionFactory


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate limits and duplicate fingerprints live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


class World:
    """A township with a station, two member deputies, a non-member deputy, two units with a
    user each, staff and township staff of another township."""

    def __init__(self):
        self.township = TownshipFactory(name="城关镇")
        self.other_township = TownshipFactory(name="青山镇")
        self.category = CategoryFactory(name="交通出行")
        self.station = StationFactory(name="城关镇人民路代表联络站", township=self.township)
        self.other_station = StationFactory(name="青山镇代表联络站", township=self.other_township)
        self.deputy_user = UserFactory(username="deputy1", role=Role.DEPUTY, phone="13800000001")
        self.deputy = DeputyFactory(name="张三丽", township=self.township, user=self.deputy_user)
        StationMembershipFactory(station=self.station, deputy=self.deputy)
        self.second_deputy_user = UserFactory(username="deputy2", role=Role.DEPUTY)
        self.second_deputy = DeputyFactory(name="李四", township=self.township, user=self.second_deputy_user)
        StationMembershipFactory(station=self.station, deputy=self.second_deputy)
        self.outsider_user = UserFactory(username="deputy3", role=Role.DEPUTY)
        self.outsider = DeputyFactory(name="王五", township=self.other_township, user=self.outsider_user)
        StationMembershipFactory(station=self.other_station, deputy=self.outsider)
        self.unit = HandlingUnitFactory(name="县交通运输局")
        self.other_unit = HandlingUnitFactory(name="县教育局")
        self.unit_user = UserFactory(username="unit1", role=Role.UNIT, handling_unit=self.unit)
        self.other_unit_user = UserFactory(username="unit2", role=Role.UNIT, handling_unit=self.other_unit)
        self.staff = UserFactory(username="staff1", role=Role.STAFF)
        self.township_staff = UserFactory(username="staff_qs", role=Role.STAFF, region=self.other_township)

    def opinion(self, **fields):
        fields.setdefault("station", self.station)
        fields.setdefault("category", self.category)
        return OpinionFactory(**fields)


@pytest.fixture
def world(db):
    return World()
