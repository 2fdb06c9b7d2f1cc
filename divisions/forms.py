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
