from django.db.models import Count

from demo import opinions as opinions_demo
from opinions.models import FINAL_STATES, Opinion, State, Step, TimelineEntry
from stations.models import Reception
from tests.factories import ReceptionFactory, StationFactory, StationMembershipFactory, VisitFactory


def test_demo_opinions_cover_every_state_with_consistent_timelines_and_run_once(world):
    for _ in range(3):
        station = StationFactory(township=world.township)
        StationMembershipFactory(station=station, deputy=world.deputy)
    follow_up = ReceptionFactory(
        visit=VisitFactory(deputy=world.deputy, station=world.station), handling=Reception.Handling.FOLLOW_UP,
        category=world.category,
    )
    opinions_demo.seed()
    total = Opinion.objects.count()
    assert total == opinions_demo.COUNT + 1
    opinions_demo.seed()
    assert Opinion.objects.count() == total
    assert Opinion.objects.filter(reception=follow_up).exists()
    states = dict(Opinion.objects.values_list("state").annotate(n=Count("pk")))
    assert set(states) == set(State.values)
    assert Opinion.objects.overdue().exists()
    assert Opinion.objects.filter(rating__gt="").exists()
    assert Opinion.objects.filter(unit=world.unit).exists()
    for opinion in Opinion.objects.prefetch_related("timeline")[:120]:
        moves = [e for e in opinion.timeline.all() if e.step not in (Step.RATE, Step.OVERDUE)]
        assert moves[0].step == Step.SUBMIT and moves[-1].to_state == opinion.state
        times = [e.created_at for e in opinion.timeline.all()]
        assert times == sorted(times)
        assert (opinion.closed_at is not None) == (opinion.state in FINAL_STATES)
    assert not TimelineEntry.objects.filter(step=Step.REPLY, opinion__unit__isnull=True).exists()
