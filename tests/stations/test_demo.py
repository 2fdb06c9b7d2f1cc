"""The stations part of the demo county (demo/stations.py)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo import foundation
from demo import stations as stations_demo
from deputies.models import Deputy
from divisions.models import Township
from stations.models import Activity, DutyShift, Reception, Station, Visit
from stations.scheduler import add_months, month_bounds


def counts():
    return (Station.objects.count(), DutyShift.objects.count(), Visit.objects.count(), Reception.objects.count(),
            Activity.objects.count())


def test_demo_stations_cover_every_kind_township_and_deputy_and_rerun_adds_nothing(db):
    foundation.seed()
    stations_demo.seed()
    first = counts()
    stations_demo.seed()
    assert counts() == first
    assert set(Station.objects.values_list("kind", flat=True)) == set(Station.Kind.values)
    assert set(Station.objects.values_list("mode", flat=True)) == set(Station.Mode.values)
    assert Station.objects.values("township").distinct().count() == Township.objects.count() == 12
    assert not Deputy.objects.active().filter(memberships__isnull=True).exists()
    this_month = timezone.localdate().replace(day=1)
    for month in (this_month, add_months(this_month, 1)):
        assert DutyShift.objects.filter(date__range=(month, month_bounds(month.year, month.month)[1])).exists()
    assert Reception.objects.filter(handling="follow_up").exists() and Activity.objects.exists()
    manager = get_user_model().objects.get(username="manager")
    assert manager.role == "station_manager" and manager.check_password("lianxin-demo")
    assert [(s.name, s.township.name) for s in manager.managed_stations.all()] == [("城关镇人大代表之家", "城关镇")]
    # The demo deputy has duty days to show on 我的值班.
    assert Deputy.objects.get(user__username="deputy").duty_assignments.exists()
