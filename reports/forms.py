from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.forms import RegionChoiceField
from divisions.scope import region_for
from points.forms import YearField
from reports.models import AwardKind


class ScopeForm(forms.Form):
    """A year and optionally a region within the user's scope (a county of the city, a township
    of the county; empty: the user's whole scope). `?township=<id>` still names a township."""

    year = YearField(required=False)
    region = RegionChoiceField()

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is not None and not data.get("region") and data.get("township"):
            data = data.copy()
            data["region"] = data["township"]
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.fields["region"].limit_to(user)

    def scope_name(self, region):
        """The name of the scope shown: the region's, or the user's whole scope's."""
        return region.name if region is not None else self.fields["region"].scope_name

    def scope(self):
        """(year, region): the region asked for, or the user's own (None: the whole deployment)."""
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        return year, region_for(self.user, data.get("region"))


class AnnualReportForm(ScopeForm):
    year = YearField(required=True)


class AwardForm(forms.Form):
    kind = forms.ChoiceField(choices=AwardKind.choices, label=_("奖项"))
    year = YearField(required=True)
    subject = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    citation = forms.CharField(label=_("评选理由"), required=False, max_length=500)
