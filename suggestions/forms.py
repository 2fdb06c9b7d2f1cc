"""The input of each step, defined once: the pages and the API validate with these forms, and
their cleaned data are the keyword arguments of the step's service."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import ImageListField, PdfField, clean_image, clean_pdf, keep_upload, kept_upload
from deputies.models import CongressSession, Deputy, Seat
from deputies.widgets import DeputyPicker, deputy_label
from divisions.models import Congress, HandlingUnit, Township
from divisions.forms import TransferTargetField, transfer_reason_field
from divisions.scope import transfer_targets, within
from opinions.models import Opinion
from opinions.models import State as OpinionState
from stations.models import Reception
from suggestions.selectors import figure_years
from suggestions.models import Category, Contact, Hearing, Kind, Rating, ReplyClass, State, Suggestion, chinese_date

DRAFT_FILE_TYPES = "application/pdf,image/jpeg,image/png,image/webp"


def clean_draft_file(uploaded):
    """A draft's attachment: a PDF or a photo (re-encoded without location data)."""
    uploaded.seek(0)
    is_pdf = uploaded.read(5) == b"%PDF-"
    uploaded.seek(0)
    try:
        cleaned = clean_pdf(uploaded) if is_pdf else clean_image(uploaded)
    except ValidationError as error:
        if error.code != "not_an_image":
            raise
        raise ValidationError(
            _("“%(name)s”不是 PDF 文件或图片，只能上传 PDF 或 JPG、PNG、WebP 格式的文件。"),
            code="not_pdf_or_image", params={"name": uploaded.name},
        ) from None
    cleaned.original_name = uploaded.name or cleaned.name
    return cleaned


class DraftFilesField(ImageListField):
    """Zero to five PDFs or photos."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = DRAFT_FILE_TYPES

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > self.max_count:
            raise ValidationError(_("最多上传 %(n)s 个附件。"), code="too_many", params={"n": self.max_count})
        return [clean_draft_file(f) for f in files]


class DeputyChoices(forms.ModelMultipleChoiceField):
    """Deputies shown with their township and group, searchable (deputies.widgets.DeputyPicker)."""

    widget = DeputyPicker

    def label_from_instance(self, deputy):
        return deputy_label(deputy)


def cosigner_choices(user, congress=None):
    """Deputies who may co-sign: the other active deputies of the congress (by default the lead
    deputy's own congress)."""
    deputy = Deputy.objects.filter(user=user).first()
    queryset = Deputy.objects.active().select_related("township", "group")
    if deputy is None:
        return queryset.none()
    congress = congress or deputy.home_congress
    return queryset.filter(
        pk__in=Seat.objects.active().filter(congress=congress).values("deputy_id")
    ).exclude(pk=deputy.pk)


class StepForm(forms.Form):
    """A step's input. `suggestion` and `user` are there for choices that depend on them."""

    def __init__(self, *args, suggestion=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        self.user = user


class DraftForm(StepForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(
        label=_("类型"), choices=Kind.choices, initial=Kind.SUGGESTION, widget=forms.RadioSelect,
        help_text=_("议案须由10名以上代表联名提出。"),
    )
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=Category.objects.filter(is_active=True), empty_label=_("请选择")
    )
    content = forms.CharField(
        label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("写明存在的问题、原因分析和具体建议。"),
    )
    cosigners = DeputyChoices(
        label=_("邀请附议代表"), queryset=Deputy.objects.none(), required=False,
        help_text=_("可多选（按住 Ctrl 或在手机上逐个点选）；可按姓名、拼音首字母、乡镇或代表小组搜索。"
                    "被邀请的代表在自己的账号中确认后才算附议。"),
    )
    attachments = DraftFilesField(
        label=_("附件"), max_count=5, help_text=_("可选，最多5个，PDF 或照片（JPG、PNG、WebP）。")
    )

    congress = forms.ModelChoiceField(
        label=_("提交给"), queryset=Congress.objects.none(), required=False, empty_label=None,
        help_text=_("您是多级人大代表，请选择向哪一级人大提出。"),
    )
    source_reception = forms.ModelChoiceField(
        queryset=Reception.objects.none(), required=False, widget=forms.HiddenInput
    )
    source_opinion = forms.ModelChoiceField(
        queryset=Opinion.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cosigners"].queryset = cosigner_choices(
            self.user, self.suggestion.congress if self.suggestion is not None else None)
        if self.suggestion is not None:
            self.fields["cosigners"].label = _("再邀请附议代表")
            del self.fields["source_reception"]  # the source is set when the draft is started
            del self.fields["source_opinion"]
            del self.fields["congress"]
        else:
            # A deputy who sits in two or three congresses chooses which one the suggestion is to.
            deputy = Deputy.objects.filter(user=self.user).first()
            congresses = deputy.congresses().select_related("region") if deputy else Congress.objects.none()
            self.fields["congress"].queryset = congresses
            if len(congresses) < 2:
                del self.fields["congress"]
            else:
                self.fields["congress"].initial = deputy.home_congress
            self.fields["source_reception"].queryset = own_receptions(self.user)
            self.fields["source_opinion"].queryset = convertible_opinions(self.user)


def convertible_opinions(user):
    """Public opinions the deputy adopted (代表已接单) and may turn into a suggestion."""
    return Opinion.objects.filter(adopted_by__user=user, state=OpinionState.ADOPTED).select_related(
        "reception", "station"
    )


def own_receptions(user):
    """Receptions of the deputy's own station visits: a suggestion may start from one."""
    return Reception.objects.filter(visit__deputy__user=user).select_related("visit", "visit__station")


class EmptyForm(StepForm):
    pass


class NoteForm(StepForm):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(StepForm):
    reason = forms.CharField(label=_("撤回原因"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConvertForm(StepForm):
    reason = forms.CharField(
        label=_("转为参阅件的理由"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("会告知领衔代表。"),
    )


class InviteForm(StepForm):
    deputies = DeputyChoices(
        label=_("邀请附议代表"), queryset=Deputy.objects.none(),
        help_text=_("可按姓名、拼音首字母、乡镇或代表小组搜索。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = cosigner_choices(self.user)


class TransferForm(StepForm):
    """转办 to another level's congress: the target offered from the holder's reachable ones."""

    to_region = TransferTargetField()
    reason = transfer_reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.suggestion is not None:
            self.fields["to_region"].offer(transfer_targets(self.suggestion.congress))


class MergeForm(StepForm):
    into = forms.ModelChoiceField(
        label=_("并入哪件建议"), queryset=Suggestion.objects.none(), empty_label=_("请选择"),
        help_text=_("本件将标记为“已并案”，由所选建议一并办理；本件领衔代表成为该件的附议代表。"),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Suggestion.objects.visible_to(self.user).filter(
            state__in=[State.SUBMITTED, State.ACCEPTED, State.ASSIGNED]
        ).select_related("session")
        if self.suggestion is not None:
            candidates = candidates.exclude(pk=self.suggestion.pk)
        self.fields["into"].queryset = candidates
        self.fields["into"].label_from_instance = lambda s: f"{s.code} {s.title}"


class AssignForm(StepForm):
    lead_unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=HandlingUnit.objects.filter(is_active=True), empty_label=_("请选择")
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=HandlingUnit.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("交办意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.suggestion is not None:
            # The units of the suggestion's congress (县交通运输局 for the county's, 市… for the city's).
            units = HandlingUnit.objects.filter(is_active=True, congress_id=self.suggestion.congress_id)
            self.fields["lead_unit"].queryset = self.fields["co_units"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("lead_unit") and data.get("lead_unit") in (data.get("co_units") or []):
            self.add_error("co_units", _("主办单位不能同时作为协办单位。"))
        return data


class InputForm(StepForm):
    text = forms.CharField(
        label=_("协办意见"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("报送给主办单位。")
    )


class ContactForm(StepForm):
    contacted_on = forms.DateField(
        label=_("沟通日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    method = forms.ChoiceField(label=_("沟通方式"), choices=Contact.Method.choices)
    note = forms.CharField(label=_("沟通情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class ExtensionForm(StepForm):
    until = forms.DateField(
        label=_("申请延期至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.suggestion is not None and self.suggestion.max_deadline:
            self.fields["until"].help_text = _("最迟不超过%(date)s（交办之日起六个月）。") % {
                "date": chinese_date(self.suggestion.max_deadline)
            }


class RefuseForm(StepForm):
    note = forms.CharField(label=_("不同意的理由"), widget=forms.Textarea(attrs={"rows": 3}))


class SuperviseForm(StepForm):
    supervisor = forms.CharField(
        label=_("督办领导"), max_length=60, help_text=_("例如：县人大常委会副主任 王某某")
    )
    note = forms.CharField(label=_("督办要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(StepForm):
    text = forms.CharField(label=_("本月办理进展"), widget=forms.Textarea(attrs={"rows": 6}))


class ReplyForm(StepForm):
    """The lead unit's reply. A refused reply keeps its PDF (core.uploads.keep_upload): the page
    says so and the unit need not choose the file again."""

    result_class = forms.ChoiceField(label=_("答复类别"), choices=ReplyClass.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 10}))
    attachment = PdfField(label=_("盖章答复件（PDF）"), required=False,
                          help_text=_("单位盖章后扫描的 PDF，不超过20MB。"))
    kept_attachment = forms.CharField(label=_("上次保留的答复件（页面内部使用）"), required=False, widget=forms.HiddenInput)
    contact_person = forms.CharField(label=_("联系人"), max_length=30)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_name = ""
        token = self.data.get("kept_attachment") if self.is_bound else None
        if token and self.user is not None:
            kept, self.kept_name = kept_upload(token, owner_id=self.user.pk)
            if kept is None:
                self.kept_name = ""
            else:
                self._show_kept()

    def _show_kept(self):
        text = _("已保留您上次选择的文件“%(name)s”，无需再次选择；如需更换，请重新选择文件。") % {
            "name": self.kept_name or "PDF"}
        self.fields["attachment"].help_text = text
        self["attachment"].help_text = text  # the bound field copied the help text when made

    def clean(self):
        data = super().clean()
        token = data.pop("kept_attachment", "")
        if not data.get("attachment") and "attachment" not in self.errors:
            kept, _name = kept_upload(token, owner_id=self.user.pk) if self.user is not None else (None, "")
            if kept is None:
                self.add_error("attachment", _("请上传盖章的答复件（PDF）。"))
            else:
                data["attachment"] = kept
        return data

    def keep_uploads(self):
        """After a refusal: keep a newly uploaded PDF for the next try (shown on the form)."""
        uploaded = (getattr(self, "cleaned_data", None) or {}).get("attachment")
        new = self.files.get(self.add_prefix("attachment")) if self.files else None
        if uploaded and new is not None and self.user is not None:
            self.kept_name = getattr(new, "name", "") or "PDF"
            token = keep_upload(uploaded, owner_id=self.user.pk, original_name=self.kept_name)
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_attachment")] = token
            self._show_kept()


class EvaluateForm(StepForm):
    rating = forms.ChoiceField(label=_("您对答复是否满意"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("选择“不满意”时必须填写理由，承办单位将据此重新办理。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("rating") == Rating.UNSATISFIED and not (data.get("comment") or "").strip():
            self.add_error("comment", _("选择“不满意”时，请写明不满意的理由。"))
        return data


class HearingForm(StepForm):
    kind = forms.ChoiceField(label=_("形式"), choices=Hearing.Kind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(
        label=_("举行日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    conclusion = forms.CharField(label=_("结论"), widget=forms.Textarea(attrs={"rows": 5}))


class FiguresForm(forms.Form):
    """The scope of the figures (page, export and API): a year or a session, and a township."""

    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    session = forms.ModelChoiceField(
        label=_("大会会议"), queryset=CongressSession.objects.all(), required=False,
        empty_label=_("全部（含闭会期间）"),
    )
    township = forms.ModelChoiceField(
        label=_("乡镇"), queryset=Township.objects.all(), required=False, empty_label=_("全县"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        years = figure_years()
        self.fields["year"].widget = forms.Select(
            choices=[("", _("全部年度"))] + [(y, _("%(y)s年") % {"y": y}) for y in years]
        )
        self.fields["township"].queryset = Township.objects.filter(within(user, ""))

    def scope(self):
        """The keyword arguments for selectors.suggestion_figures()."""
        return {key: value for key, value in self.cleaned_data.items() if value}
