from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from divisions.models import Township
from points.forms import YearField
from reports.models import AwardKind


class ScopeForm(forms.Form):
    """A year and optionally one township (staff limited to a township get only theirs)."""

    year = YearField(required=False)
    township = forms.ModelChoiceField(
        queryset=Township.objects.all(), required=False, label=_("乡镇"), empty_label=_("全县"),
        widget=LongSelect,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.scope_township_id:
            self.fields["township"].queryset = Township.objects.filter(pk=user.scope_township_id)
            self.fields["township"].empty_label = None

    def scope(self):
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        township = data.get("township")
        if self.user is not None and self.user.scope_township_id:
            township = Township.objects.get(pk=self.user.scope_township_id)
        return year, township


class AnnualReportForm(ScopeForm):
    year = YearField(required=True)


class AwardForm(forms.Form):
    kind = forms.ChoiceField(choices=AwardKind.choices, label=_("奖项"))
    year = YearField(required=True)
    subject = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    citation = forms.CharField(label=_("评选理由"), required=False, max_length=500)
