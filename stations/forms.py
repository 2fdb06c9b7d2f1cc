from datetime import timedelta

from django import forms
from django.db.models import Q
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.exceptions import DomainError
from core.uploads import ImageListField, PdfField, clean_image
from core.widgets import LongSelect
from deputies.models import Deputy
from divisions.models import Township, Village
from divisions.scope import regions_within, scope_of, within
from stations.models import (
    Activity,
    Category,
    DutyRule,
    Holiday,
    LearningMaterial,
    Reception,
    Station,
    Unavailability,
)
from stations.scheduler import parse_month
from stations.services import MANAGER_EDITABLE_FIELDS, visit_stations

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PhotoField(forms.ImageField):
    """One optional photo, checked by content and re-encoded without EXIF (core.uploads)."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "size") and value is not initial:
            return clean_image(value)
        return value

    def to_python(self, data):
        # Pillow checks happen in clean_image with a Chinese message; skip Django's own check.
        return forms.FileField.to_python(self, data)


class StationForm(forms.ModelForm):
    photo = PhotoField(label=_("照片"), required=False)

    class Meta:
        model = Station
        fields = [
            "name", "kind", "mode", "township", "address", "named_after", "manager",
            "opening_hours", "description", "photo", "duty_rule", "duty_enabled", "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "manager" in self.fields:
            self.fields["manager"].queryset = User.objects.filter(role=Role.STATION_MANAGER, is_active=True)
        if "named_after" in self.fields:
            self.fields["named_after"].queryset = Deputy.objects.active().select_related("township")
        if user is not None and user.role == Role.STATION_MANAGER:
            for name in list(self.fields):
                if name not in MANAGER_EDITABLE_FIELDS:
                    del self.fields[name]
        elif "township" in self.fields:
            self.fields["township"].queryset = Township.objects.filter(within(user, ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != Station.Kind.STUDIO and cleaned.get("named_after"):
            self.add_error("named_after", _("只有代表工作室可以冠名。"))
        return cleaned


class AddMembersForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label=_("选择代表"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = candidates


class VisitForm(forms.Form):
    # A city's 1,400 stations: LongSelect renders them without a template per option.
    station = forms.ModelChoiceField(
        label=_("站点"), queryset=Station.objects.none(), empty_label=None, widget=LongSelect
    )
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME_INPUT)
    summary = forms.CharField(
        label=_("履职情况"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例如：接待群众、走访村（社区）、参加座谈")}),
    )
    photos = ImageListField(label=_("现场照片"), max_count=5, help_text=_("最多 5 张，每张不超过 5 MB（JPG、PNG、WebP）"))

    def __init__(self, *args, deputy, all_stations=False, **kwargs):
        """The deputy's own stations first, then the stations where they were on duty lately
        (`stations.services.visit_stations`): a deputy logs visits only there; a visit to another
        station is recorded by that station's manager. `all_stations` lists every village for the
        receptions (a citizen may come from anywhere)."""
        super().__init__(*args, **kwargs)
        own_ids = set(deputy.memberships.values_list("station_id", flat=True))
        stations = Station.objects.active().filter(pk__in=visit_stations(deputy).values("pk"))
        stations = stations.order_by("township__sort_order", "name").values_list(
            "pk", "name", "township__name", "township_id"
        )  # four columns, no model instances
        own = [(pk, name) for pk, name, _township, _id in stations if pk in own_ids]
        others = [(pk, f"{name}（{township}）") for pk, name, township, _id in stations if pk not in own_ids]
        # The receptions' village lists: the townships of the stations listed (None: every village).
        self.township_ids = None if all_stations else {township_id for *_rest, township_id in stations}
        self.fields["station"].queryset = Station.objects.active().filter(pk__in=[pk for pk, *_rest in stations])
        choices = []
        if own:
            choices.append((_("我的站点"), own))
        if others:
            choices.append((_("值班站点"), others))
        self.fields["station"].choices = choices
        if not self.is_bound:
            now = timezone.localtime()
            end = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("end_time", end.time())
            self.initial.setdefault("start_time", (end - timedelta(hours=1)).time())
            if own:
                self.initial.setdefault("station", own[0][0])

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError(_("不能登记今天以后的进站履职。"))
        if value < timezone.localdate() - timedelta(days=366):
            raise ValidationError(_("只能登记一年以内的进站履职。"))
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间必须晚于开始时间。"))
        return cleaned


def village_choices(township_ids=None, chosen=()):
    """Villages grouped by township for a select without JavaScript: those of `township_ids`
    (None: every village of the county or city) and any `chosen` already."""
    groups = {}
    villages = Village.objects.order_by("township__sort_order", "township_id", "name")
    if township_ids is not None:
        villages = villages.filter(Q(township_id__in=township_ids) | Q(pk__in=chosen))
    villages = villages.values_list("pk", "name", "township__name")
    for pk, name, township in villages:
        groups.setdefault(township, []).append((pk, name))
    return [("", _("（不填）"))] + list(groups.items())


class ReceptionForm(forms.ModelForm):
    class Meta:
        model = Reception
        fields = ["visitor_name", "visitor_phone", "village", "category", "content", "handling", "feedback"]
        widgets = {
            "visitor_phone": forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}),
            "content": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
            "handling": forms.RadioSelect,
            "village": LongSelect,  # every village of the county
            "category": LongSelect,
        }

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["category"].empty_label = _("请选择")
        self.fields["village"].choices = villages if villages is not None else village_choices()
        self.fields["village"].required = False
        self.fields["visitor_phone"].help_text = _("选填；只有您和工作人员能看到完整号码")


class BaseReceptionFormSet(forms.BaseFormSet):
    """The receptions of a visit. `township_ids`: the villages listed are those of these
    townships (the visit form's stations'; a city's every village is too long a list for a phone,
    and the form has it twice, once in the template for "add"), plus any already chosen. Any
    village is accepted."""

    def __init__(self, *args, township_ids=None, **kwargs):
        self.township_ids = township_ids
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        if not hasattr(self, "_villages"):
            chosen = [value for key, value in (self.data or {}).items()
                      if key.endswith("-village") and str(value).isdigit()]
            self._villages = village_choices(self.township_ids, chosen)
        return {**super().get_form_kwargs(index), "villages": self._villages}


ReceptionFormSet = formset_factory(ReceptionForm, formset=BaseReceptionFormSet, extra=1, max_num=30, validate_max=True)


class ReceptionHandlingForm(forms.ModelForm):
    class Meta:
        model = Reception
        fields = ["handling", "feedback"]
        widgets = {"handling": forms.RadioSelect, "feedback": forms.Textarea(attrs={"rows": 2})}


class MonthField(forms.CharField):
    """YYYY-MM, cleaned to (year, month)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except DomainError as exc:
            raise ValidationError(exc.message) from None


class DutyRuleForm(forms.ModelForm):
    days = forms.CharField(
        label=_("每月日期"), required=False, help_text=_("用逗号或顿号分隔，例如 6,16,26"),
    )

    class Meta:
        model = DutyRule
        fields = [
            "name", "kind", "days", "week", "weekday", "deputies_per_shift", "holiday_policy",
            "start_time", "end_time", "is_default",
        ]
        widgets = {"start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["days"] = ",".join(str(d) for d in self.instance.days or [])

    def clean_days(self):
        text = (self.cleaned_data.get("days") or "").replace("、", ",").replace("，", ",")
        try:
            return sorted({int(part) for part in text.split(",") if part.strip()})
        except ValueError:
            raise ValidationError(_("请填写 1 到 31 之间的日期，例如 6,16,26。")) from None


class HolidayForm(forms.ModelForm):
    """A local override of the official calendar. Staff bound to a region list days for their
    region (or a region under it); staff of the whole deployment may leave the region empty."""

    class Meta:
        model = Holiday
        fields = ["date", "name", "kind", "region"]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        field = self.fields["region"]
        field.queryset = regions_within(user)
        field.empty_label = _("全部区域")
        if not scope.is_whole:
            field.required = True
            field.empty_label = None
            field.initial = scope.region.pk


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "sort_order", "is_active"]


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["start", "end", "reason"]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned


class StaffUnavailabilityForm(UnavailabilityForm):
    class Meta(UnavailabilityForm.Meta):
        fields = ["deputy", "start", "end", "reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = Deputy.objects.visible_to(user).active().select_related("township")


class SwapRequestForm(forms.Form):
    reason = forms.CharField(label=_("调班原因"), max_length=200)
    proposed = forms.ModelChoiceField(
        label=_("建议替班代表"), queryset=Deputy.objects.none(), required=False, empty_label=_("由管理员安排")
    )

    def __init__(self, *args, station, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed"].queryset = station.members.active().exclude(pk__in=exclude)


class SwapForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("替班代表"), queryset=Deputy.objects.none(), empty_label=_("请选择"))
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, station, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = station.members.active().exclude(pk__in=exclude)


class SwapDecisionForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("替班代表"), queryset=Deputy.objects.none(), required=False, empty_label=_("按申请人建议"))
    note = forms.CharField(label=_("处理意见"), max_length=200, required=False)

    def __init__(self, *args, station, exclude=(), members=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deputy"]
        field.queryset = station.members.active().exclude(pk__in=exclude)
        if members is not None:
            # The station's active members loaded once for a page of forms: no query per form.
            excluded = set(exclude)
            field.choices = [("", field.empty_label), *((d.pk, str(d)) for d in members if d.pk not in excluded)]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "kind", "description", "starts_at", "ends_at", "place", "station", "capacity", "signup_deadline"]
        widgets = {
            "starts_at": DATETIME_INPUT, "ends_at": DATETIME_INPUT, "signup_deadline": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "signup_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        stations = Station.objects.visible_to(user).active() if user is not None else Station.objects.active()
        self.fields["station"].queryset = stations.select_related("township")
        if user is not None and user.role == Role.STATION_MANAGER:
            self.fields["station"].required = True
            self.fields["station"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        starts, ends, deadline = cleaned.get("starts_at"), cleaned.get("ends_at"), cleaned.get("signup_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间必须晚于开始时间。"))
        if starts and deadline and deadline > starts:
            self.add_error("signup_deadline", _("报名截止时间不能晚于活动开始时间。"))
        return cleaned

    def _post_clean(self):
        # The service validates the model (constraints included) after applying scope rules.
        pass


class CancelActivityForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class MaterialForm(forms.ModelForm):
    attachment = PdfField(label=_("附件（PDF）"), required=False)
    link = forms.URLField(label=_("链接"), required=False, assume_scheme="https")

    class Meta:
        model = LearningMaterial
        fields = ["title", "body", "attachment", "link", "published_at"]
        widgets = {"published_at": DATETIME_INPUT, "body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if not self.instance.pk and not self.is_bound:
            self.initial["published_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean_attachment(self):
        value = self.cleaned_data.get("attachment")
        return value if value else self.instance.attachment

