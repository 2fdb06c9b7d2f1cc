"""One filter set for the staff list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from deputies.models import Deputy, DeputyGroup, Level
from divisions.models import Township


class DeputyFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("姓名或拼音"),
        help_text=_("姓名、全拼或拼音首字母，如 zsl"),
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("层级"), empty_label=_("全部层级"))
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(), label=_("乡镇"), empty_label=_("全部乡镇"), widget=LongSelect,
    )
    group = django_filters.ModelChoiceFilter(
        queryset=DeputyGroup.objects.all(), label=_("代表小组"), empty_label=_("全部小组"), widget=LongSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=Deputy.Status.choices, label=_("状态"), empty_label=_("全部状态")
    )

    class Meta:
        model = Deputy
        fields = ["search", "level", "township", "group", "status"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
