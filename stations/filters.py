"""Filter sets shared by the pages and the API."""

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from deputies.models import Deputy
from divisions.models import Township
from stations.models import (
    Activity,
    ActivitySignup,
    DutyShift,
    Reception,
    Station,
    StationMembership,
    Visit,
)
from stations.forms import MonthField
from stations.scheduler import month_bounds


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    """?month=YYYY-MM on a date field; a malformed month is a form error (400 in the API)."""

    field_class = MonthField

    def __init__(self, *args, date_field="date", **kwargs):
        self.date_field = date_field
        kwargs.setdefault("label", _("月份"))
        kwargs.setdefault("help_text", _("格式 YYYY-MM"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        start, end = month_bounds(*value)
        return qs.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})


class StationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("名称或地址"))
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(), label=_("乡镇"), empty_label=_("全部乡镇"), widget=LongSelect,
    )
    kind = django_filters.ChoiceFilter(choices=Station.Kind.choices, label=_("类型"), empty_label=_("全部类型"))
    mode = django_filters.ChoiceFilter(choices=Station.Mode.choices, label=_("形式"), empty_label=_("全部形式"))
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = Station
        fields = ["search", "township", "kind", "mode", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class MembershipFilter(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="station_id", label=_("站点"))
    deputy = django_filters.NumberFilter(field_name="deputy_id", label=_("代表"))
    township = django_filters.NumberFilter(field_name="station__township_id", label=_("乡镇"))

    class Meta:
        model = StationMembership
        fields = ["station", "deputy", "township"]


class ShiftFilter(django_filters.FilterSet):
    month = MonthFilter(date_field="date")
    station = django_filters.NumberFilter(field_name="station_id", label=_("站点"))
    deputy = django_filters.NumberFilter(method="filter_deputy", label=_("代表"))
    township = django_filters.ModelChoiceFilter(
        field_name="station__township", queryset=Township.objects.all(), label=_("乡镇"), empty_label=_("全部乡镇"), widget=LongSelect,
    )

    class Meta:
        model = DutyShift
        fields = ["month", "station", "deputy", "township"]

    def filter_deputy(self, queryset, name, value):
        return queryset.filter(assignments__deputy_id=value).distinct()


# The visit list's station select comes from these tables: the staff's is shared until one of them
# changes (stations.views.visits.station_select_html).
STATION_CHOICE_MODELS = (Station, Township)


class VisitFilter(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="station_id", label=_("站点"))
    deputy = django_filters.NumberFilter(field_name="deputy_id", label=_("代表"))
    township = django_filters.ModelChoiceFilter(
        field_name="station__township", queryset=Township.objects.all(), label=_("乡镇"), empty_label=_("全部乡镇"), widget=LongSelect,
    )
    month = MonthFilter(date_field="date")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("开始日期"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("结束日期"))
    handling = django_filters.ChoiceFilter(
        method="filter_handling", choices=Reception.Handling.choices, label=_("接待处理"), empty_label=_("全部")
    )

    class Meta:
        model = Visit
        fields = ["station", "deputy", "township", "month", "date_from", "date_to", "handling"]

    def filter_handling(self, queryset, name, value):
        return queryset.filter(receptions__handling=value).distinct()


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, label=_("类型"), empty_label=_("全部类型"))
    station = django_filters.NumberFilter(field_name="station_id", label=_("站点"))
    when = django_filters.ChoiceFilter(
        method="filter_when",
        choices=[("upcoming", _("未开始")), ("past", _("已开始或结束"))],
        label=_("时间"),
        empty_label=_("全部"),
    )
    month = MonthFilter(date_field="starts_at__date")

    class Meta:
        model = Activity
        fields = ["kind", "station", "when", "month"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(starts_at__gt=now) if value == "upcoming" else queryset.filter(starts_at__lte=now)


class SignupFilter(django_filters.FilterSet):
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("活动"))
    deputy = django_filters.ModelChoiceFilter(queryset=Deputy.objects.all(), label=_("代表"))

    class Meta:
        model = ActivitySignup
        fields = ["activity", "deputy", "attendance"]
