from django.contrib.auth import get_user_model
from django.core.management import call_command

from deputies.models import Deputy, DeputyGroup, Level
from divisions.models import Region, Township
from opinions.models import Opinion
from stations.models import Station
from suggestions.models import Suggestion
from tests.demo_snapshot import load_demo
from tests.demo_story import check_story

User = get_user_model()


def city_counts():
    return [model.objects.count() for model in (Region, Township, Deputy, DeputyGroup, Station, Opinion, Suggestion)]


def test_seed_demo_builds_the_demo_county_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    check_story()  # the demo tells a true story: see tests/demo_story.py
    counts = city_counts()
    call_command("seed_demo", verbosity=0)
    assert city_counts() == counts
    county = User.objects.get(username="staff").region
    assert county.name == "连心县" and county.parent_region.name == "示范市"
    assert Township.objects.filter(path__startswith=county.path).count() == 12
    assert Deputy.objects.filter(township__path__startswith=county.path).count() == 300
    assert set(Deputy.objects.values_list("level", flat=True)) == set(Level.values)
    for username in ["admin", "staff", "deputy", "unit"]:
        assert User.objects.get(username=username).check_password("lianxin-demo"), username
    deputy = Deputy.objects.get(user__username="deputy")
    assert deputy.level == Level.COUNTY


def test_seed_demo_builds_a_city_with_a_second_county(db):
    load_demo()
    city = User.objects.get(username="city_staff").region
    district = User.objects.get(username="county2_staff").region
    assert (city.name, city.code, city.level) == ("示范市", "320100", "city")
    assert district.parent_region == city and district.level == "county" and len(district.code) == 6
    townships = Township.objects.filter(path__startswith=district.path)
    assert townships.count() >= 5
    assert all(t.code.startswith(district.code) and len(t.code) == 9 for t in townships)
    for model, lookup in [(Deputy, "township"), (Station, "township"), (Opinion, "station__township")]:
        assert model.objects.filter(**{f"{lookup}__path__startswith": district.path}).exists(), model
    assert Suggestion.objects.filter(congress__region=district).exists()
    assert Suggestion.objects.filter(congress__region=city).exists()
    assert city.congress.units.filter(name="市交通运输局").exists()
    # A city deputy who also sits in the district's congress: one login, both seats.
    seats = User.objects.get(username="city_deputy").deputy.seats.values_list("congress__region", flat=True)
    assert set(seats) == {city.pk, district.pk}
    for username in ["city_staff", "county2_staff", "city_deputy"]:
        assert User.objects.get(username=username).check_password("lianxin-demo"), username


def test_the_story_checks_find_what_the_demo_got_wrong_before(db):
    """Each check of tests/demo_story.py catches the kind of mistake the demo once made."""
    from tests import demo_story
    from tests.factories import DeputyFactory, StationFactory

    StationFactory(name="王建国代表工作室", address="城关镇县供销社主任")
    StationFactory(name="城关镇人大代表之家", address="城关镇人民路4号")
    DeputyFactory(name="李建军", gender=Deputy.Gender.FEMALE, phone="13900009998")
    DeputyFactory(name="李秀英", gender=Deputy.Gender.FEMALE, phone="13900009999")
    assert demo_story.station_addresses() == ["王建国代表工作室: 城关镇县供销社主任"]
    assert demo_story.given_names() == ["李建军 (female)"]
    assert not demo_story.suggestion_numbers() and not demo_story.vote_calendars()
