"""One filter set for the staff list page and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from deputies.models import Deputy, DeputyGroup, Level
from divisions.models import Township
from divisions.scope import scope_of, within

# The roster's empty filter form is shared by scope until a township or group changes
# (deputies.views.filter_form_html); its count until a deputy does.
FILTER_CHOICE_MODELS = (Township, DeputyGroup)
COUNT_MODELS = (Deputy, Township)


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

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not scope_of(user).is_whole:
            # Only the user's own townships and groups: a county's staff are not offered the
            # city's other counties' (and a choice from them is refused as invalid). A group
            # without a township (a professional group) is theirs when one of its members is.
            self.filters["township"].queryset = Township.objects.filter(within(user, ""))
            members = Deputy.objects.filter(within(user, "township"), group=OuterRef("pk"))
            self.filters["group"].queryset = DeputyGroup.objects.filter(
                within(user, "township") | Q(Exists(members), township__isnull=True)
            )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
