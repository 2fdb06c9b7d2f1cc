"""LongSelect writes exactly what Django's select templates write, faster."""

from django import forms

from core.widgets import LongSelect

CHOICES = [
    ("", "（不填）"),
    ("城关镇", [(1, "东门村"), (2, "西门<村>&")]),
    ("青山镇", [(3, '"山口"村')]),
    (4, "无组"),
]


def test_long_select_renders_the_same_html_as_djangos_select():
    for value in (None, "", 2, "3", 4):
        for attrs in (None, {"id": "id_v", "required": True, "disabled": False, "data-x": 'a"b'}):
            django = forms.Select(choices=CHOICES).render("village", value, attrs=attrs)
            ours = LongSelect(choices=CHOICES).render("village", value, attrs=attrs)
            assert ours == django, (value, attrs)
    assert 'value="2" selected>西门&lt;村&gt;&amp;</option>' in LongSelect(choices=CHOICES).render("v", 2)


def test_long_select_in_a_form_keeps_the_bound_value():
    class Form(forms.Form):
        village = forms.ChoiceField(choices=CHOICES, widget=LongSelect)

    html = str(Form({"village": "3"})["village"])
    assert '<option value="3" selected>&quot;山口&quot;村</option>' in html and 'name="village"' in html
