"""The deputy picker: a plain multiple select (works without JavaScript) whose options carry what
a search matches — name, pinyin and its initials (`deputies.pinyin`), township, group — and show
the township and group, so that two 王芳 are told apart. `deputies/deputy-picker.js` adds a search
box that filters the options as one types (no CDN, no library)."""

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html


def deputy_label(deputy):
    group = deputy.group.name if deputy.group_id else ""
    return f"{deputy.name}（{deputy.township.name}{' · ' + group if group else ''}）"


class DeputyPicker(forms.SelectMultiple):
    def __init__(self, attrs=None):
        super().__init__(attrs={"size": 8, "class": "deputy-picker", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        deputy = getattr(value, "instance", None)
        if deputy is not None:
            group = deputy.group.name if deputy.group_id else ""
            option["attrs"]["data-search"] = " ".join(
                part for part in (deputy.name, deputy.search_keys, deputy.township.name, group) if part
            ).lower()
        return option

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        script = format_html('<script src="{}" defer></script>', static("deputies/deputy-picker.js"))
        return html + script  # both already safe: the widget's own HTML and format_html's
