"""Working days: the State Council's holiday calendar plus local overrides, in one place.

Every count of 工作日 (opinion deadlines, "7个工作日" steps, duty days moved or skipped) goes
through this module. A day's kind comes, most specific first, from:

1. a local override (`core.models.Holiday`) of the day's region or of a region above it (a
   township's own day wins over its county's, the county's over a deployment-wide one);
2. the official calendar (the `chinesecalendar` package: 法定节假日 and 调休上班 as published by
   the State Council each winter);
3. Monday–Friday, for a year the package does not cover yet (`covers(year)` is False): the
   dashboard then warns that next year's calendar is missing (`missing_year`), until the
   package is upgraded or staff list the days by hand.

A kind is HOLIDAY (a day off, duty moves or is skipped), WORKDAY (a weekend day that is worked,
调休上班) or absent (an ordinary weekday or weekend). The functions that take a `kinds` map are
pure, so rules over them can be tested as properties; `window(start, end)` reads the overrides
of a period once (one query) and hands out maps per region."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from chinese_calendar import constants as official

HOLIDAY = "holiday"
WORKDAY = "workday"

# chinesecalendar names its holidays in English.
OFFICIAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@lru_cache(maxsize=1)
def covered_years():
    """The years the installed package publishes (its data is complete for each)."""
    return frozenset(day.year for day in (*official.holidays, *official.workdays))


def covers(year):
    return year in covered_years()


def missing_year(today):
    """The year whose official calendar is missing and matters now, else None: this year when the
    package does not cover it (working days fall back to Monday–Friday plus local overrides),
    or, from 1 December, next year (duty is planned a month ahead and deadlines run into
    January). The State Council publishes in the autumn; upgrading the package closes it."""
    if not covers(today.year):
        return today.year
    if today.month == 12 and not covers(today.year + 1):
        return today.year + 1
    return None


def official_kind(day):
    """HOLIDAY, WORKDAY or None from the State Council's calendar (None for uncovered years)."""
    if day in official.holidays:
        return HOLIDAY
    if day in official.workdays:
        return WORKDAY
    return None


def official_days(year):
    """(date, kind, Chinese name) of the official calendar's special days in `year`."""
    rows = [(day, HOLIDAY, name) for day, name in official.holidays.items() if day.year == year]
    rows += [(day, WORKDAY, name) for day, name in official.workdays.items() if day.year == year]
    return sorted((day, kind, OFFICIAL_NAMES.get(name, name)) for day, kind, name in rows)


def is_working_day(day, kinds=None, *, region=None):
    """Is `day` worked? `kinds` maps dates to HOLIDAY/WORKDAY (a `Window.kinds`); without it the
    official calendar and the overrides of `region` are read (one query)."""
    if kinds is None:
        kinds = window(day, day + timedelta(days=1)).kinds(region)
    kind = kinds.get(day)
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return day.weekday() < 5


def is_day_off(day, kinds):
    """A listed holiday (official or local), as opposed to an ordinary weekend: what moves or
    cancels a duty day."""
    return kinds.get(day) == HOLIDAY


def count_working_days(start, days, kinds):
    """The date `days` working days after `start` under a kinds map (pure)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, kinds):
            left -= 1
    return day


def add_working_days(start, days, *, region=None):
    """The date `days` working days after `start` (`start` itself does not count): the official
    calendar plus the overrides of `region` (None: the deployment-wide ones). One query."""
    # A generous horizon: 春节 and 国庆 take at most eight days off in a row.
    end = start + timedelta(days=days * 2 + 30)
    return count_working_days(start, days, window(start, end).kinds(region))


@dataclass
class Window:
    """The calendar of [start, end): official kinds plus every override in the period, read once;
    `kinds(region)` merges the overrides that hold in `region` (a Region, or None)."""

    start: date
    end: date
    official: dict = field(default_factory=dict)
    overrides: list = field(default_factory=list)  # (date, kind, region path or "") in path order
    _cache: dict = field(default_factory=dict, repr=False)

    def kinds(self, region=None):
        """Official kinds plus the overrides that hold in `region`: a Region, its path, its id
        (its path is then read only when some override in the window belongs to a region), or
        None for the deployment-wide ones only."""
        path = self._path(region)
        if path not in self._cache:
            merged = dict(self.official)
            # Shorter paths first, so a region's own day overrides its county's.
            for day, kind, holder in self.overrides:
                if holder == "" or path.startswith(holder):
                    merged[day] = kind
            self._cache[path] = merged
        return self._cache[path]


    def _path(self, region):
        if region is None or isinstance(region, str):
            return region or ""
        if hasattr(region, "path"):
            return region.path
        if not any(holder for _day, _kind, holder in self.overrides):
            return ""
        from divisions.models import Region

        return Region.objects.filter(pk=region).values_list("path", flat=True).first() or ""


def window(start, end):
    """The calendar of [start, end) (one query for the overrides)."""
    from core.models import Holiday

    kinds = {}
    day = start
    while day < end:
        kind = official_kind(day)
        if kind:
            kinds[day] = kind
        day += timedelta(days=1)
    rows = Holiday.objects.filter(date__gte=start, date__lt=end).values_list("date", "kind", "region__path")
    overrides = sorted(((day, kind, path or "") for day, kind, path in rows), key=lambda row: len(row[2]))
    return Window(start, end, kinds, overrides)


__all__ = [
    "HOLIDAY", "WORKDAY", "Window", "add_working_days", "count_working_days", "covered_years",
    "covers", "is_day_off", "is_working_day", "missing_year", "official_days",
    "official_kind", "window",
]
