from django.contrib.auth import get_user_model
from django.core.management import call_command

from deputies.models import Deputy, DeputyGroup, Level
from divisions.models import Township

User = get_user_model()


def test_seed_demo_builds_the_demo_county_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
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
