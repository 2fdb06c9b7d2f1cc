import io
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from stations.models import DutyAssignment, DutyShift, StationMembership
from stations.scheduler import slot_for
from tests.factories import DeputyFactory, StationFactory, UserFactory


@pytest.fixture
def station(township):
    return StationFactory(name="城关镇人大代表之家", kind="home", township=township, address="城关镇人民路8号")


@pytest.fixture
def deputy(deputy_user):
    return deputy_user.deputy


@pytest.fixture
def member(station, deputy):
    """The signed-in deputy (deputy_user, 张三丽) belongs to `station`."""
    return StationMembership.objects.create(station=station, deputy=deputy)


@pytest.fixture
def manager(make_user, station):
    user = make_user(Role.STATION_MANAGER, username="manager1", name="站管 王芳")
    station.manager = user
    station.save(update_fields=["manager"])
    return user


def make_deputy_with_account(township, name, **fields):
    user = UserFactory(role=Role.DEPUTY, name=name, **{k: fields.pop(k) for k in ("email",) if k in fields})
    return DeputyFactory(name=name, township=township, user=user, **fields)


def make_shift(station, day, deputies, *, start=time(9, 0), end=time(11, 30)):
    shift = DutyShift.objects.create(station=station, date=day, start_time=start, end_time=end)
    for position, deputy in enumerate(deputies):
        DutyAssignment.objects.create(shift=shift, deputy=deputy, slot=slot_for(day, position))
    return shift


def jpeg_bytes(size=(64, 48), gps=False):
    image = Image.new("RGB", size, "red")
    buffer = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (31.0, 30.0, 0.0), 3: "E", 4: (120.0, 18.0, 0.0)}
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def photo(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")
