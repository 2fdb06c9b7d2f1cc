from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import ImageListField
from core.validators import validate_mobile
from deputies.models import CongressSession
from divisions.models import Congress, HandlingUnit, rules_for
from divisions.scope import within
from votes import tally
from votes.models import (
    Candidate,
    FeasibilityRequest,
    Milestone,
    ProjectVote,
    Proposal,
    ProposalStatus,
    Rating,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
CHOICE_LABELS = [(tally.APPROVE, _("赞成")), (tally.AGAINST, _("不赞成")), (tally.ABSTAIN, _("弃权"))]


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def active_units():
    return HandlingUnit.objects.filter(is_active=True)


class VoteForm(forms.ModelForm):
    class Meta:
        model = ProjectVote
        fields = [
            "title", "year", "congress", "term", "session", "description",
            "collection_deadline", "seats", "min_extra_candidates", "min_candidate_ratio",
            "threshold_basis", "threshold_ratio", "secret", "opens_at", "closes_at",
        ]
        widgets = {
            "collection_deadline": date_input(),
            "opens_at": datetime_input(),
            "closes_at": datetime_input(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        # The congresses (and their sessions) the user runs: within their scope.
        congresses = Congress.objects.filter(within(user, "region")).select_related("region")
        self.fields["congress"].queryset = congresses
        # Staff of one congress (a county office) need not choose: theirs is the default.
        self.fields["congress"].required = False
        self.default_congress = congresses.order_by("region__path").first()
        self.fields["session"].queryset = CongressSession.objects.filter(congress__in=congresses)
        if not self.instance.pk and not self.is_bound:
            congress = self.initial.get("congress") or congresses.order_by("region__path").first()
            if congress is not None:
                self.initial.setdefault("congress", congress.pk)
                rules = rules_for(congress)
                for name in ("min_extra_candidates", "min_candidate_ratio", "threshold_basis", "threshold_ratio"):
                    self.initial.setdefault(name, getattr(rules, name))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("congress"):
            if self.default_congress is None:
                self.add_error("congress", _("请选择哪一级人大的票决。"))
            cleaned["congress"] = self.default_congress
        session = cleaned.get("session")
        if session is not None and (
            session.congress_id != getattr(cleaned.get("congress"), "pk", None)
            or session.term != cleaned.get("term")
        ):
            self.add_error("session", _("所选会议与票决的人大或届次不一致。"))
        return cleaned


class ProposalForm(forms.ModelForm):
    """A proposal from a deputy's or a department's account (or typed in by staff)."""

    class Meta:
        model = Proposal
        fields = ["title", "description", "location", "beneficiaries"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "description": _("项目要解决什么问题、建设什么内容"),
            "beneficiaries": _("例如：某村 1200 名村民、全县中小学生"),
        }
        # Say how to fix it, not just that it is missing (the public fills this form in too).
        error_messages = {
            "title": {"required": _("请写上项目名称，例如“某村通组道路硬化”。")},
            "description": {"required": _("请写一写这个项目要解决什么问题、建设什么内容。")},
        }


class PublicProposalForm(ProposalForm):
    """The public page's form: no account, optional contact, a honeypot for robots."""

    vote = forms.ModelChoiceField(
        queryset=ProjectVote.objects.none(), label=_("推荐给"), empty_label=None
    )
    contact_name = forms.CharField(label=_("您的称呼（选填）"), max_length=30, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话（选填）"), max_length=20, required=False, validators=[validate_mobile],
        help_text=_("仅工作人员可见，方便回访；不会公开。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(  # core.abuse.HONEYPOT_FIELD
        label=_("请勿填写"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta(ProposalForm.Meta):
        fields = ["vote", *ProposalForm.Meta.fields, "contact_name", "contact_phone", "website"]

    def __init__(self, *args, votes=None, **kwargs):
        kwargs.setdefault("auto_id", "proposal_%s")  # unique ids beside a station page's other forms
        super().__init__(*args, **kwargs)
        votes = list(votes or [])
        self.fields["vote"].queryset = ProjectVote.objects.filter(pk__in=[v.pk for v in votes])
        self.fields["vote"].initial = votes[0].pk if votes else None
        if len(votes) == 1:
            self.fields["vote"].widget = forms.HiddenInput()


class MergeForm(forms.Form):
    duplicates = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.none(), label=_("与本条重复的建议"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].queryset = target.vote.proposals.filter(
            status=ProposalStatus.NEW
        ).exclude(pk=target.pk)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予采纳的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class FeasibilityRequestForm(forms.ModelForm):
    class Meta:
        model = FeasibilityRequest
        fields = ["unit", "due_date", "question"]
        widgets = {"due_date": date_input(), "question": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()


class FeasibilityAnswerForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("论证结论"), choices=[("1", _("可行")), ("0", _("不可行"))],
        coerce=lambda value: value == "1", widget=forms.RadioSelect,
    )
    cost_estimate = forms.DecimalField(
        label=_("估算投资（万元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    responsible_unit = forms.ModelChoiceField(
        queryset=HandlingUnit.objects.none(), label=_("建议责任单位"), required=False
    )
    timeline = forms.CharField(label=_("实施周期"), max_length=200, required=False,
                               help_text=_("例如：2026年3月开工，10月底完工"))
    opinion = forms.CharField(label=_("论证意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = active_units()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("feasible") and cleaned.get("cost_estimate") is None:
            self.add_error("cost_estimate", _("认为可行时请填写估算投资。"))
        return cleaned


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["title", "summary", "location", "responsible_unit", "budget", "planned_completion"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "planned_completion": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = active_units()


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("说明（选填）"), max_length=500, required=False)


def candidate_field_name(candidate):
    return f"c{candidate.pk}"


class CandidateFieldsMixin:
    def candidate_fields(self):
        """The bound per-candidate fields, in ballot order (for templates)."""
        return [self[candidate_field_name(c)] for c in self.candidates]

    def candidate_rows(self):
        return [(c, self[candidate_field_name(c)]) for c in self.candidates]


class BallotForm(CandidateFieldsMixin, forms.Form):
    """A mark for every candidate (赞成 / 不赞成 / 弃权), at most `seats` 赞成."""

    def __init__(self, *args, vote, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote, self.candidates = vote, candidates
        for candidate in candidates:
            self.fields[candidate_field_name(candidate)] = forms.ChoiceField(
                label=f"{candidate.number}. {candidate.title}", choices=CHOICE_LABELS,
                widget=forms.RadioSelect,
                error_messages={"required": _("请对这个项目选择赞成、不赞成或弃权。")},
            )

    def marks(self):
        return {c.pk: self.cleaned_data[candidate_field_name(c)] for c in self.candidates}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        marks = self.marks()
        try:
            tally.ballot_line(
                [(c.pk, c.number) for c in self.candidates],
                approve=[pk for pk, mark in marks.items() if mark == tally.APPROVE],
                abstain=[pk for pk, mark in marks.items() if mark == tally.ABSTAIN],
                seats=self.vote.seats,
            )
        except tally.InvalidBallot as exc:
            raise ValidationError(exc.message) from None
        return cleaned

    @property
    def approve(self):
        return [pk for pk, mark in self.marks().items() if mark == tally.APPROVE]

    @property
    def abstain(self):
        return [pk for pk, mark in self.marks().items() if mark == tally.ABSTAIN]


class PaperEntryForm(CandidateFieldsMixin, forms.Form):
    """One staff member's typing of one paper slip."""

    number = forms.IntegerField(label=_("选票编号"), min_value=1,
                                help_text=_("计票时在纸质选票上编写的序号"))
    invalid = forms.BooleanField(label=_("废票（无法辨认或赞成数超过应选数）"), required=False)

    def __init__(self, *args, vote, candidates, paper_voters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote, self.candidates = vote, candidates
        if not vote.secret:
            self.fields["voter"] = forms.ModelChoiceField(
                queryset=paper_voters, label=_("投票代表（记名投票）")
            )
        for candidate in candidates:
            self.fields[candidate_field_name(candidate)] = forms.ChoiceField(
                label=f"{candidate.number}. {candidate.title}", choices=CHOICE_LABELS,
                widget=forms.RadioSelect, required=False,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("invalid"):
            cleaned["line"] = ""
            return cleaned
        marks = [cleaned.get(candidate_field_name(c)) for c in self.candidates]
        if not all(marks):
            raise ValidationError(_("请按选票逐项录入每个候选项目，或勾选“废票”。"))
        try:
            cleaned["line"] = tally.check_line(
                "".join(marks), candidate_count=len(self.candidates), seats=self.vote.seats
            )
        except tally.InvalidBallot as exc:
            raise ValidationError(exc.message) from None
        return cleaned


class PlanForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["responsible_unit", "budget", "planned_completion"]
        widgets = {"planned_completion": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = active_units()
        self.fields["responsible_unit"].required = True
        self.fields["budget"].required = True


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": date_input()}


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    text = forms.CharField(label=_("本月进展"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)
    photos = ImageListField(label=_("现场照片（选填，最多 5 张）"), max_count=5)


class InspectionForm(forms.Form):
    visited_on = forms.DateField(label=_("视察日期"), widget=date_input())
    note = forms.CharField(label=_("视察意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)
    photos = ImageListField(label=_("现场照片（选填，最多 5 张）"), max_count=5)


class EvaluationForm(forms.Form):
    """The year-end rating of every elected project on one page."""

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        for project in projects:
            self.fields[f"r{project.pk}"] = forms.ChoiceField(
                label=project.title, choices=Rating.choices, widget=forms.RadioSelect,
                error_messages={"required": _("请选择满意、基本满意或不满意。")},
            )
            self.fields[f"m{project.pk}"] = forms.CharField(
                label=_("意见建议（选填）"), max_length=500, required=False
            )

    def ratings(self):
        return [
            (p, self.cleaned_data[f"r{p.pk}"], self.cleaned_data.get(f"m{p.pk}", ""))
            for p in self.projects
        ]
