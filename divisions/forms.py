"""Choosing a region in the scope forms of the dashboard, the figures, awards and reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import LongSelect
from divisions.scope import regions_within, scope_of, scope_region_name


class RegionChoiceField(forms.ChoiceField):
    """A region within the user's scope, indented by level (连心县 · 　城关镇); empty: the user's
    whole scope. The regions are read once (one query), for the choices, the empty choice's name
    and the cleaned value alike."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("区域"))
        kwargs.setdefault("widget", LongSelect)
        super().__init__(**kwargs)
        self.regions = {}
        self.scope_name = ""

    def limit_to(self, user):
        regions = list(regions_within(user))
        top = scope_of(user).region
        if top is None:
            roots = [region for region in regions if region.depth == 1]
            top = roots[0] if len(roots) == 1 else None
        self.scope_name = top.name if top is not None else scope_region_name(None)
        self.regions = {str(region.pk): region for region in regions if region != top}
        depth = top.depth + 1 if top is not None else 1
        self.choices = [("", self.scope_name)] + [
            (key, "\u3000" * (region.depth - depth) + region.name) for key, region in self.regions.items()
        ]

    def clean(self, value):
        value = super().clean(value)
        return self.regions.get(str(value)) if value else None


def region_key(region):
    """How a form or the API names a region: its 行政区划代码 (its id when it has none)."""
    return region.code or str(region.pk)


def region_by_key(value):
    """The region a form or the API named (`region_key`), or None."""
    from divisions.models import Region

    value = (value or "").strip()
    if not value:
        return None
    found = Region.objects.filter(code=value).first()
    if found is None and value.isdigit():
        found = Region.objects.filter(pk=int(value), code="").first()
    return found


class TransferTargetField(forms.CharField):
    """转办: the region (its code) whose congress receives the record. The select offers the
    congresses reachable from the holder (`divisions.scope.transfer_targets`: up the parent chain,
    down to the next level); whatever is posted is judged by the service, which says in words why
    a region is refused (no congress there, a sideways move)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("转办给"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", {"required": _("请选择转办给哪一级人大。")})
        kwargs.setdefault("help_text", _("可转办给上级人大，或下一级乡镇（县、区）人大。"))
        kwargs.setdefault("widget", forms.Select)
        super().__init__(**kwargs)

    def offer(self, congresses):
        self.widget.choices = [("", _("请选择"))] + [
            (region_key(congress.region), congress.name) for congress in congresses
        ]

    def clean(self, value):
        value = super().clean(value)
        region = region_by_key(value)
        if region is None:
            raise forms.ValidationError(_("没有这个行政区域：%(value)s。"), code="unknown_region", params={"value": value})
        return region


TRANSFER_REASON_MAX = 500


def transfer_reason_field():
    return forms.CharField(
        label=_("转办理由"), max_length=TRANSFER_REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明转办理由。")},
    )
