"""Hand-built records for the points rules: one deputy's year built row by row (no services),
so each rule is checked against records whose number we know."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from deputies.models import SessionAttendance
from divisions.models import Congress
from stations.models import (
    ActivitySignup,
    DutyAssignment,
    DutyShift,
    LearningMaterial,
    MaterialRead,
    Reception,
    Visit,
)
from suggestions.models import Category as SuggestionCategory
from suggestions.models import Cosigner, State, Suggestion
from suggestions.services import next_number
from tests.factories import (
    ActivityFactory,
    CategoryFactory,
    CongressSessionFactory,
    DeputyFactory,
    StationFactory,
    TownshipFactory,
)

YEAR = 2025


def moment(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Records:
    """Builds records for a deputy in YEAR (dates spread over the year)."""

    def __init__(self):
        self.township = TownshipFactory(name="城关镇")
        self.station = StationFactory(township=self.township)
        self.category = CategoryFactory()
        self.suggestion_category, _ = SuggestionCategory.objects.get_or_create(name="城乡建设")
        self.congress = Congress.objects.default()
        self._n = 0

    def _day(self, i):
        return date(YEAR, 1, 1) + timedelta(days=(7 * i) % 360)

    def deputy(self, **fields):
        return DeputyFactory(**{"township": self.township, **fields})

    def visits(self, deputy, n, receptions=0):
        out = []
        for i in range(n):
            visit = Visit.objects.create(deputy=deputy, station=self.station, date=self._day(i),
                                         start_time=time(9), end_time=time(11))
            for _ in range(receptions):
                Reception.objects.create(visit=visit, visitor_name="李大爷", category=self.category,
                                         content="村口道路坑洼，希望修补。")
            out.append(visit)
        return out

    def activities(self, deputy, n, kind="research", attendance=ActivitySignup.Attendance.ATTENDED):
        out = []
        for i in range(n):
            starts = moment(self._day(i))
            activity = ActivityFactory(kind=kind, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                       signup_deadline=starts - timedelta(days=1))
            out.append(ActivitySignup.objects.create(activity=activity, deputy=deputy, attendance=attendance))
        return out

    def reads(self, deputy, n):
        out = []
        for i in range(n):
            material = LearningMaterial.objects.create(title=f"学习资料{self._next()}", published_at=moment(self._day(i)))
            read = MaterialRead.objects.create(material=material, deputy=deputy)
            MaterialRead.objects.filter(pk=read.pk).update(read_at=moment(self._day(i)))
            out.append(read)
        return out

    def _next(self):
        self._n += 1
        return self._n

    def suggestions(self, deputy, n, **fields):
        values = {"state": State.ASSIGNED}
        values.update(fields)
        return [
            Suggestion.objects.create(
                title=f"建议{self._next()}", content="内容", category=self.suggestion_category, lead_deputy=deputy,
                township=deputy.township, year=YEAR, number=next_number(f"recess:{self.congress.pk}:{YEAR}"), submitted_at=moment(self._day(i)), **values,
            )
            for i in range(n)
        ]

    def cosigns(self, deputy, n, lead):
        return [
            Cosigner.objects.create(suggestion=s, deputy=deputy, confirmed_at=s.submitted_at)
            for s in self.suggestions(lead, n)
        ]

    def session(self, **attendance):
        session = CongressSessionFactory(start_date=date(YEAR, 1, 8), end_date=date(YEAR, 1, 11))
        for status, deputies in attendance.items():
            for deputy in deputies:
                SessionAttendance.objects.create(session=session, deputy=deputy, status=status)
        return session

    def missed_shifts(self, deputy, n, attended=0):
        out = []
        for i in range(n + attended):
            shift, _ = DutyShift.objects.get_or_create(
                station=self.station, date=self._day(i), defaults={"start_time": time(9), "end_time": time(11)}
            )
            status = DutyAssignment.Attendance.ABSENT if i < n else DutyAssignment.Attendance.ATTENDED
            out.append(DutyAssignment.objects.create(shift=shift, deputy=deputy, slot=i, attendance=status))
        return out


@pytest.fixture
def records(db):
    return Records()
