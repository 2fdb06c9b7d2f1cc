from django.contrib.auth import get_user_model
from django.core.management import call_command

from deputies.models import Deputy, DeputyGroup, Level
from divisions.models import Township
from tests.demo_story import check_story

User = get_user_model()


def test_seed_demo_builds_the_demo_county_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    check_story()  # the demo tells a true story: see tests/demo_story.py
    counts = (Township.objects.count(), Deputy.objects.count(), DeputyGroup.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Township.objects.count(), Deputy.objects.count(), DeputyGroup.objects.count()) == counts
    assert counts[0] == 12
    assert counts[1] == 300
    assert set(Deputy.objects.values_list("level", flat=True)) == set(Level.values)
    for username in ["admin", "staff", "deputy", "unit"]:
        assert User.objects.get(username=username).check_password("lianxin-demo"), username
    deputy = Deputy.objects.get(user__username="deputy")
    assert deputy.level == Level.COUNTY


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
