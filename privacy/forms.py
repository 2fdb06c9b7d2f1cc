from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_mobile


class PersonLookupForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号"),
        validators=[validate_mobile],
        help_text=_("按本人提供的手机号查找。请先核实申请人身份。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class EraseForm(PersonLookupForm):
    confirm = forms.BooleanField(
        label=_("我已核实申请人身份，确认删除以上记录中的姓名和手机号（不可恢复）"), required=True
    )
