"""One filter set for the opinions list (staff inbox), its export and the API."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.search import MAX_QUERY_LENGTH
from core.widgets import LongSelect
from deputies.models import Deputy
from divisions.models import HandlingUnit, Township
from divisions.scope import within
from opinions.models import DEADLINE_STATES, Opinion, State, normalize_tracking_code
from stations.models import Category, Station


# The filter form's choices come from these tables: staff share its empty form until one of them
# changes (opinions.views.filter_form_html).
FILTER_CHOICE_MODELS = (Township, Station, Category)
# The tables whose names a row of the inbox shows besides the opinion's own: its cached row is
# rendered again when one of them changes (opinions.views.table_rows).
ROW_NAME_MODELS = (*FILTER_CHOICE_MODELS, Deputy, HandlingUnit)
# What the staff's unfiltered count depends on: opinions, and the stations' townships (the scope).
COUNT_MODELS = (Opinion, Station)
# The inbox's bulk referral offers the units of the user's scope and above (views.bulk_unit_html).
UNIT_CHOICE_MODELS = (HandlingUnit, Township)


class OpinionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("关键词"), max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：加装电梯")}),
        help_text=_("意见内容、答复中的词语，查询码；工作人员还可搜姓名。按相关程度排序"),
    )
    code = django_filters.CharFilter(method="filter_code", label=_("查询码"))
    township = django_filters.ModelChoiceFilter(
        field_name="station__township", queryset=Township.objects.all(), label=_("乡镇"),
        empty_label=_("全部乡镇"), widget=LongSelect,
    )
    station = django_filters.ModelChoiceFilter(
        queryset=Station.objects.all(), label=_("站点"), empty_label=_("全部站点"), widget=LongSelect,
    )
    state = django_filters.ChoiceFilter(
        choices=State.choices, label=_("状态"), empty_label=_("全部状态")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), label=_("类别"), empty_label=_("全部类别"), widget=LongSelect,
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("是否逾期"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("已逾期")), ("false", _("未逾期"))]),
    )
    submitted_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("提交日期从"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("提交日期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Opinion
        fields = ["q", "code", "township", "station", "state", "category", "overdue", "submitted_from", "submitted_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role != Role.UNIT:
            self.filters["station"].queryset = Station.objects.visible_to(user)
            self.filters["township"].queryset = Township.objects.filter(within(user, ""))

    def filter_search(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.search(value, by_name=Opinion.may_see_name(user))

    def filter_code(self, queryset, name, value):
        code = normalize_tracking_code(value)
        return queryset.filter(tracking_code=code) if code else queryset.none()

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.overdue(now)
        return queryset.exclude(state__in=DEADLINE_STATES, due_at__lt=now)
