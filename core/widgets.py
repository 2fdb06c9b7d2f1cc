"""Form widgets for long choice lists.

Django renders every <option> of a select through two template includes; for the few thousand
options of a city's stations or villages that is most of a page's time (a visit form with 1,400
stations and their villages took ~0.4 s, nearly all of it in option templates). `LongSelect`
writes the very same HTML as Django's select.html / select_option.html / attrs.html, in Python.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    # django/forms/widgets/attrs.html
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        html.append(f" {conditional_escape(name)}")
        if value is not True:
            html.append(f'="{conditional_escape(str(value))}"')
    return "".join(html)


class LongSelect(forms.Select):
    """A Select rendered without a template per option (same HTML as Django's)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                    f'{conditional_escape(option["label"])}</option>\n'
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")  # the form renderer strips the template's last newline
        return mark_safe("".join(html))  # noqa: S308 (every label and value above is conditional_escape()d)
