from django import forms
from django.forms.models import ModelChoiceIterator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import ImageListField
from core.validators import validate_mobile
from core.widgets import LongSelect
from divisions.forms import TransferTargetField, transfer_reason_field
from divisions.models import HandlingUnit
from divisions.scope import transfer_targets
from opinions.models import (
    CONTENT_MAX_LENGTH,
    CONTENT_MIN_LENGTH,
    MAX_PHOTOS,
    Rating,
    normalize_tracking_code,
)
from stations.models import Category

class ListedChoiceIterator(ModelChoiceIterator):
    """Reads a short list (categories, units) in one plain query; Django's default iterator
    opens a server-side cursor on PostgreSQL (three round trips) on the hottest public page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


CONSENT_REQUIRED = _("留下姓名或电话时，请勾选同意使用个人信息。")


def check_consent(cleaned_data, add_error):
    if (cleaned_data.get("name") or cleaned_data.get("phone")) and not cleaned_data.get("consent"):
        add_error("consent", CONSENT_REQUIRED)


class OpinionForm(forms.Form):
    """点单 on a station's public page. Plain HTML: works without JavaScript."""

    category = ListedModelChoiceField(
        label=_("类别"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择意见类别。"), "invalid_choice": _("请选择意见类别。")},
    )
    content = forms.CharField(
        label=_("您的意见或建议"),
        min_length=CONTENT_MIN_LENGTH,
        max_length=CONTENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": CONTENT_MAX_LENGTH}),
        help_text=_("请写清楚什么地方、什么事，%(min)s到%(max)s个字。")
        % {"min": CONTENT_MIN_LENGTH, "max": CONTENT_MAX_LENGTH},
        error_messages={
            "required": _("请写下您的意见。"),
            "min_length": _("意见内容至少%(limit_value)d个字，请写清楚一些。"),
            "max_length": _("意见内容最多%(limit_value)d个字（现在%(show_value)d个字）。"),
        },
    )
    photos = ImageListField(
        label=_("照片（选填，最多3张）"), max_count=MAX_PHOTOS, required=False
    )
    name = forms.CharField(label=_("姓名（选填）"), max_length=30, required=False)
    phone = forms.CharField(
        label=_("手机号（选填）"),
        max_length=11,
        required=False,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("留下电话，代表可以联系您。电话不会公开显示。"),
    )
    consent = forms.BooleanField(
        label=_("我同意代表和工作人员为办理本意见使用我的姓名和电话"), required=False
    )
    # The honeypot (core.abuse.HONEYPOT_FIELD), hidden by CSS: a person never fills it.
    website = forms.CharField(
        label=_("请勿填写此项"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "opinion_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_consent(cleaned, self.add_error)
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("提交意见后得到的查询码，例如 7KQ2MXP9TA"),
        error_messages={"required": _("请输入查询码。")},
    )

    def clean_code(self):
        code = normalize_tracking_code(self.cleaned_data["code"])
        if not code:
            raise ValidationError(_("查询码应为10位字母和数字，请检查后重新输入。"))
        return code


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果满意吗？"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    comment = forms.CharField(
        label=_("还想说的话（选填）"), max_length=200, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 200}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明（选填）"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("答复内容（会在查询页面公开显示）"),
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写答复内容。")},
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回理由。")},
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看原因"), min_length=4, max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("例如：电话联系群众核实情况")}),
        error_messages={"required": _("请填写查看原因。"), "min_length": _("查看原因至少4个字。")},
    )


class TransferForm(forms.Form):
    """转办 to another level's congress: the target offered from the holder's reachable ones."""

    to_region = TransferTargetField()
    reason = transfer_reason_field()

    def __init__(self, *args, opinion=None, **kwargs):
        super().__init__(*args, **kwargs)
        if opinion is not None:
            self.fields["to_region"].offer(transfer_targets(opinion.congress))


class ReferForm(forms.Form):
    unit = ListedModelChoiceField(
        label=_("承办单位"),
        queryset=HandlingUnit.objects.filter(is_active=True),
        empty_label=_("请选择承办单位"),
        error_messages={"required": _("请选择承办单位。"),
                        "invalid_choice": _("只能转交给本级或上级人大的承办单位，请从列表中选择。")},
        widget=LongSelect,  # on every page of the staff inbox (the bulk form)
    )
    note = forms.CharField(
        label=_("转交说明（选填）"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, **kwargs):
        """`units`: the units offered (`divisions.scope.units_serving` / `units_for`); the
        service refuses a unit that does not serve the opinion's congress whatever is posted."""
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class IdListField(forms.Field):
    """The ticked rows of a list: several `ids` values, each a positive integer."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        try:
            return sorted({int(v) for v in values if int(v) > 0})
        except (TypeError, ValueError):
            raise ValidationError(_("勾选的意见有误，请刷新页面后重试。")) from None


class BulkReferForm(ReferForm):
    ids = IdListField(error_messages={"required": _("请先勾选要转交的意见。")})
