"""One filter set for the list page, its Excel export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from core.search import MAX_QUERY_LENGTH
from core.widgets import LongSelect

from deputies.models import CongressSession, Deputy
from divisions.models import HandlingUnit, Township
from suggestions.models import HANDLING, Category, Kind, Rating, ReplyClass, State, Suggestion


class YesNoWidget(BooleanWidget):
    """true/false (and 1/0) like django-filter's, with Chinese labels."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


# The filter form's choices come from these tables: its empty form is shared until one of them
# changes (suggestions.views.filter_form_html).
FILTER_CHOICE_MODELS = (CongressSession, Category, Township, HandlingUnit)
# The tables whose names a row of the list shows besides the suggestion's own: its cached row
# is rendered again when one of them changes (suggestions.views.table_rows).
ROW_NAME_MODELS = (*FILTER_CHOICE_MODELS, Deputy)
# The staff's unfiltered list shares its count by scope until a suggestion (or township) changes.
COUNT_MODELS = (Suggestion, Township)


def search_filter(help_text):
    """The list's words search (core.search): a query longer than MAX_QUERY_LENGTH is refused
    (400 with the reason), an empty one filters nothing."""
    return django_filters.CharFilter(
        method="filter_search", label=_("关键词"), help_text=help_text, max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：加装电梯")}),
    )


class SuggestionFilter(django_filters.FilterSet):
    q = search_filter(_("标题、内容、答复中的词语或编号，按相关程度排序"))
    # The same search under its earlier name, for links and API clients that use it.
    search = search_filter(_("同 q"))
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("状态"), empty_label=_("全部状态"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("类型"), empty_label=_("全部类型"))
    period = django_filters.ChoiceFilter(
        choices=[("session", _("大会期间")), ("recess", _("闭会期间"))],
        method="filter_period", label=_("提出时间"), empty_label=_("大会和闭会期间"),
    )
    session = django_filters.ModelChoiceFilter(
        queryset=CongressSession.objects.all(), label=_("大会会议"), empty_label=_("全部会议"), widget=LongSelect,
    )
    year = django_filters.NumberFilter(label=_("年度"))
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), label=_("类别"), empty_label=_("全部类别"), widget=LongSelect,
    )
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(), label=_("乡镇"), empty_label=_("全部乡镇"), widget=LongSelect,
    )
    lead_unit = django_filters.ModelChoiceFilter(
        queryset=HandlingUnit.objects.all(), label=_("主办单位"), empty_label=_("全部单位"), widget=LongSelect,
    )
    reply_class = django_filters.ChoiceFilter(
        choices=ReplyClass.choices, label=_("答复类别"), empty_label=_("全部类别")
    )
    rating = django_filters.ChoiceFilter(choices=Rating.choices, label=_("测评结果"), empty_label=_("全部结果"))
    is_key = django_filters.BooleanFilter(label=_("重点督办"), widget=YesNoWidget)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("逾期"), widget=YesNoWidget)

    class Meta:
        model = Suggestion
        fields = [
            "q", "search", "state", "kind", "period", "session", "year", "category", "township",
            "lead_unit", "reply_class", "rating", "is_key", "overdue",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_period(self, queryset, name, value):
        return queryset.filter(session__isnull=value == "recess", number__isnull=False)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(state__in=HANDLING, deadline__lt=timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)
