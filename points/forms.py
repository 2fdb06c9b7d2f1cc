from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from deputies.models import DeputyGroup
from divisions.scope import within
from divisions.models import Township
from points.models import PointRule
from points.selectors import year_choices


class YearField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("年度"))
        super().__init__(coerce=int, **kwargs)
        self.choices = [(y, f"{y}年") for y in year_choices()]


class StandingsFilterForm(forms.Form):
    year = YearField(required=False)
    township = forms.ModelChoiceField(
        queryset=Township.objects.all(), required=False, label=_("乡镇"), empty_label=_("全部乡镇"),
        widget=LongSelect,
    )
    group = forms.ModelChoiceField(
        queryset=DeputyGroup.objects.all(), required=False, label=_("代表小组"), empty_label=_("全部小组"),
        widget=LongSelect,
    )
    search = forms.CharField(required=False, label=_("姓名或拼音"), max_length=30)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.filter(within(user, ""))
        self.fields["group"].queryset = DeputyGroup.objects.filter(within(user, "township"))

    def selected_year(self):
        return (self.cleaned_data.get("year") if self.is_valid() else None) or timezone.localdate().year


class YearForm(forms.Form):
    year = YearField(required=False)

    def selected_year(self):
        return (self.cleaned_data.get("year") if self.is_valid() else None) or timezone.localdate().year


class PointRuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = ["points", "yearly_cap", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{self.instance.get_event_display()}：{field.label}"
