"""民生实事项目代表票决: the yearly cycle of a livelihood-projects vote.

ProjectVote (one per year and level) → Proposal (collected) → Candidate (screened, on the ballot,
and after the vote the elected project with its implementation) → VoterRecord (the electorate,
frozen when voting opens, and who has voted) → Ballot (what was voted).

Secret mode (the default) keeps who-voted and what-was-voted apart: a Ballot has a random UUID,
its content (the canonical line) and its vote; no voter, no timestamp, no channel. `services.mix_ballots`
rewrites the ballots of a vote in random order under fresh random ids, so neither the physical
row order nor the writing transaction can tie a ballot to the VoterRecord written beside it.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.privacy import mask_phone
from deputies.models import Level, level_of
from divisions.models import OfACongress
from divisions.scope import within


class VoteLevel(models.TextChoices):
    MUNICIPAL = Level.MUNICIPAL.value, _("市级")
    COUNTY = Level.COUNTY.value, _("县级")
    TOWNSHIP = Level.TOWNSHIP.value, _("乡镇级")


class VoteStatus(models.TextChoices):
    COLLECTING = "collecting", _("征集中")
    SCREENING = "screening", _("筛选中")
    VOTING = "voting", _("票决中")
    PUBLISHED = "published", _("已公布结果")
    IMPLEMENTING = "implementing", _("实施中")
    EVALUATED = "evaluated", _("已测评")


# The allowed moves of a vote; each is one staff action in services.py.
TRANSITIONS = {
    VoteStatus.COLLECTING: {VoteStatus.SCREENING},
    VoteStatus.SCREENING: {VoteStatus.COLLECTING, VoteStatus.VOTING},
    VoteStatus.VOTING: {VoteStatus.PUBLISHED},
    VoteStatus.PUBLISHED: {VoteStatus.IMPLEMENTING},
    VoteStatus.IMPLEMENTING: {VoteStatus.EVALUATED},
    VoteStatus.EVALUATED: set(),
}
PUBLIC_STATUSES = (VoteStatus.PUBLISHED, VoteStatus.IMPLEMENTING, VoteStatus.EVALUATED)


class ThresholdBasis(models.TextChoices):
    ELIGIBLE = "eligible", _("全体应到代表")
    CAST = "cast", _("实际投票人数")


def default_min_extra():
    return settings.VOTES_MIN_EXTRA_CANDIDATES


def default_min_ratio():
    return Decimal(settings.VOTES_MIN_CANDIDATE_RATIO)


def default_threshold_ratio():
    return Decimal(settings.VOTES_THRESHOLD_RATIO)


class ProjectVoteQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def collecting(self):
        return self.filter(status=VoteStatus.COLLECTING)

    def managed_by(self, user):
        """The votes a staff member runs: those of the congresses of their region and below."""
        return self.filter(within(user, "congress"))

    def visible_to(self, user):
        """What a user may see of votes, on pages and in the API.

        Staff: the votes they run. Deputies: their own congress's votes (collecting, and those
        whose frozen electorate includes them) and every published one. Everyone else,
        including the public: published votes and those collecting proposals."""
        from accounts.models import Role

        if user is None or not user.is_authenticated:
            return self.filter(status__in=(*PUBLIC_STATUSES, VoteStatus.COLLECTING))
        if user.role in (Role.ADMIN, Role.STAFF):
            return self.managed_by(user)
        visible = Q(status__in=PUBLIC_STATUSES) | Q(status=VoteStatus.COLLECTING)
        deputy = getattr(user, "deputy", None) if user.role == Role.DEPUTY else None
        if deputy is not None:
            # A subquery on the deputy's voter records (their index): a JOIN to every voter
            # record with DISTINCT read the whole electorate table (200 ms at city scale).
            visible |= Q(pk__in=VoterRecord.objects.filter(deputy=deputy).values("vote_id"))
        return self.filter(visible)


class ProjectVote(OfACongress):
    """One year's livelihood-projects vote of the county congress or of one township's."""

    title = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    congress = models.ForeignKey(
        "divisions.Congress",
        on_delete=models.PROTECT,
        related_name="project_votes",
        verbose_name=_("人民代表大会"),
        help_text=_("哪一级人大的代表票决"),
    )
    term = models.PositiveSmallIntegerField(
        _("届次"), validators=[MinValueValidator(1)], help_text=_("投票代表的届次，例如第十八届填 18")
    )
    session = models.ForeignKey(
        "deputies.CongressSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_votes",
        verbose_name=_("代表大会会议"),
        help_text=_("票决在哪次代表大会会议上进行；开始投票前必须填写"),
    )
    description = models.TextField(_("征集说明"), blank=True)
    collection_deadline = models.DateField(_("征集截止日期"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("应选项目数"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    min_extra_candidates = models.PositiveSmallIntegerField(
        _("差额最少多出"),
        default=default_min_extra,
        validators=[MinValueValidator(1)],
        help_text=_("候选项目至少比应选项目多几个"),
    )
    min_candidate_ratio = models.DecimalField(
        _("最低差额比例"),
        max_digits=4,
        decimal_places=2,
        default=default_min_ratio,
        validators=[MinValueValidator(Decimal("1.00"))],
        help_text=_("候选项目数不少于应选项目数的多少倍，例如 1.2"),
    )
    threshold_basis = models.CharField(
        _("过半数的基数"),
        max_length=10,
        choices=ThresholdBasis.choices,
        default=ThresholdBasis.ELIGIBLE,
    )
    threshold_ratio = models.DecimalField(
        _("当选票数比例"),
        max_digits=5,
        decimal_places=4,
        default=default_threshold_ratio,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("赞成票须超过基数的该比例，默认 0.5 即“过半数”"),
    )
    secret = models.BooleanField(
        _("无记名投票"),
        default=True,
        help_text=_("默认无记名：只记录谁已投票，不记录谁投了什么。取消勾选为记名投票。"),
    )
    opens_at = models.DateTimeField(_("投票开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("投票截止时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=VoteStatus.choices, default=VoteStatus.COLLECTING
    )
    eligible_count = models.PositiveIntegerField(_("应投票代表数"), null=True, blank=True, editable=False)
    mixed_ballot_count = models.PositiveIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True, editable=False)
    result_digest = models.CharField(_("选票清单摘要"), max_length=64, blank=True, editable=False)
    evaluation_opened_at = models.DateTimeField(_("测评开始时间"), null=True, blank=True, editable=False)
    runoff_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runoffs",
        verbose_name=_("再次投票所属票决"),
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectVoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("民生实事票决")
        verbose_name_plural = _("民生实事票决")
        ordering = ["-year", "congress__region__path", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "congress"],
                condition=Q(runoff_of__isnull=True),
                name="vote_one_a_year_per_congress",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="vote_window_ordered",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="vote_has_seats"),
        ]

    def __str__(self):
        return self.title

    @property
    def required_candidates(self):
        """差额: at least seats + min_extra, and at least seats × the minimum ratio."""
        from votes.tally import required_candidates

        return required_candidates(
            self.seats, min_extra=self.min_extra_candidates, min_ratio=self.min_candidate_ratio
        )

    @property
    def threshold_label(self):
        """当选规则 in words, e.g. 赞成票超过全体应到代表的半数."""
        basis = ThresholdBasis(self.threshold_basis).label
        if self.threshold_ratio == Decimal("0.5"):
            return _("赞成票超过%(basis)s的半数") % {"basis": basis}
        return _("赞成票超过%(basis)s的%(percent)s%%") % {
            "basis": basis, "percent": format((self.threshold_ratio * 100).normalize(), "f")}

    def window_state(self, now=None):
        """'unset', 'before', 'open' or 'closed'."""
        now = now or timezone.now()
        if not self.opens_at or not self.closes_at:
            return "unset"
        if now < self.opens_at:
            return "before"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now=None):
        return self.status == VoteStatus.VOTING and self.window_state(now) == "open"

    @property
    def is_public(self):
        return self.status in PUBLIC_STATUSES

    @property
    def scope_name(self):
        return self.congress.region.name

    @property
    def level(self):
        """The deputies' level of the vote's congress (市/县/乡镇)."""
        return level_of(self.congress)

    def get_level_display(self):
        return VoteLevel(self.level).label

    @property
    def township(self):
        """The township of a township congress's vote, else None."""
        region = self.congress.region
        return region if region.level == "township" else None

    @property
    def township_id(self):
        township = self.township
        return township.pk if township else None


class VoteEvent(models.Model):
    """The vote's timeline: every staff action, with who and when. Never a ballot."""

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    LABELS = {
        "created": _("创建票决"),
        "updated": _("修改票决设置"),
        "reopened": _("重新开放征集"),
        "merged": _("合并重复建议"),
        "paper_voters": _("登记纸质投票代表"),
        "closed": _("提前结束投票"),
        "runoff": _("创建再次投票"),
        "evaluation_opened": _("开始年终测评"),
        VoteStatus.SCREENING: _("结束征集，开始筛选"),
        VoteStatus.VOTING: _("开始投票，冻结投票代表名单"),
        VoteStatus.PUBLISHED: _("计票并公布结果"),
        VoteStatus.IMPLEMENTING: _("开始组织实施"),
        VoteStatus.EVALUATED: _("结束年终测评"),
    }

    class Meta:
        verbose_name = _("票决记录")
        verbose_name_plural = _("票决记录")
        ordering = ["at", "id"]

    @property
    def label(self):
        return self.LABELS.get(self.action, self.action)


class ProposalSource(models.TextChoices):
    PUBLIC = "public", _("群众网上推荐")
    STATION = "station", _("代表联络站")
    DEPUTY = "deputy", _("人大代表")
    DEPARTMENT = "department", _("政府部门")
    STAFF = "staff", _("工作人员代录")


class ProposalStatus(models.TextChoices):
    NEW = "new", _("待筛选")
    CANDIDATE = "candidate", _("已列为候选项目")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("未采纳")


class ProposalQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("deputy", "handling_unit", "merged_into", "vote").annotate(
            feasibility_count=models.Count("feasibility_requests", distinct=True),
            answered_count=models.Count(
                "feasibility_requests",
                filter=Q(feasibility_requests__answered_at__isnull=False),
                distinct=True,
            ),
        ).order_by("-created_at", "-id")


class Proposal(models.Model):
    """A project put forward while a vote is collecting (广泛征集), with its source."""

    Source = ProposalSource
    Status = ProposalStatus

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), max_length=3000)
    location = models.CharField(_("实施地点"), max_length=100, blank=True)
    beneficiaries = models.CharField(_("受益群众"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=ProposalSource.choices)
    station_code = models.CharField(_("站点编号"), max_length=40, blank=True)
    station_name = models.CharField(_("站点"), max_length=100, blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True,
        related_name="project_proposals", verbose_name=_("提出代表"),
    )
    handling_unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="project_proposals", verbose_name=_("提出部门"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("提交账号"),
    )
    contact_name = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged",
        verbose_name=_("合并到"),
    )
    status_reason = models.TextField(_("处理说明"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目建议")
        verbose_name_plural = _("项目建议")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["vote", "status"]), models.Index(fields=["vote", "source"])]

    def __str__(self):
        return self.title

    @property
    def masked_phone(self):
        return mask_phone(self.contact_phone) if self.contact_phone else ""

    @property
    def source_detail(self):
        if self.deputy_id:
            return self.deputy.name
        if self.handling_unit_id:
            return self.handling_unit.name
        return self.station_name or self.contact_name or ""


class FeasibilityRequest(models.Model):
    """Staff ask a department whether a proposal is feasible: cost, responsible unit, timeline."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feasibility_requests")
    unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, related_name="feasibility_requests",
        verbose_name=_("论证单位"),
    )
    question = models.TextField(_("需论证的问题"), blank=True)
    due_date = models.DateField(_("答复期限"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    feasible = models.BooleanField(_("是否可行"), null=True)
    cost_estimate = models.DecimalField(
        _("估算投资（万元）"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    responsible_unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("建议责任单位"),
    )
    timeline = models.CharField(_("实施周期"), max_length=200, blank=True)
    opinion = models.TextField(_("论证意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("答复人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("可行性论证")
        verbose_name_plural = _("可行性论证")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"], condition=Q(answered_at__isnull=True),
                name="feasibility_one_open_request_per_unit",
            )
        ]

    def __str__(self):
        return f"{self.proposal} · {self.unit}"

    @property
    def is_answered(self):
        return self.answered_at is not None


class CandidateQuerySet(models.QuerySet):
    def elected(self):
        return self.filter(elected=True)

    def public(self):
        return self.filter(elected=True, vote__status__in=PUBLIC_STATUSES)

    def for_list(self):
        return self.select_related("vote", "vote__congress__region", "responsible_unit")

    def late(self, today):
        """Elected projects being implemented that are behind: a milestone past due, the planned
        completion passed, or no progress report for last month."""
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        return (
            self.filter(
                elected=True, vote__status=VoteStatus.IMPLEMENTING, completed_on__isnull=True
            )
            .annotate(
                overdue_milestones=models.Count(
                    "milestones",
                    filter=Q(milestones__due_date__lt=today, milestones__done_on__isnull=True),
                    distinct=True,
                ),
                reported_last_month=models.Exists(
                    ProgressReport.objects.filter(
                        candidate=models.OuterRef("pk"), month__gte=last_month
                    )
                ),
            )
            .annotate(
                missing_report=models.ExpressionWrapper(
                    Q(reported_last_month=False, implementation_started_on__lt=last_month),
                    output_field=models.BooleanField(),
                )
            )
            .filter(Q(overdue_milestones__gt=0) | Q(planned_completion__lt=today) | Q(missing_report=True))
        )


class Candidate(models.Model):
    """A project on the ballot (候选项目); once elected, the project being implemented."""

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveSmallIntegerField(_("序号"))
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates",
        verbose_name=_("来源建议"),
    )
    title = models.CharField(_("项目名称"), max_length=100)
    summary = models.TextField(_("项目简介"), max_length=3000)
    location = models.CharField(_("实施地点"), max_length=100, blank=True)
    responsible_unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="livelihood_projects", verbose_name=_("责任单位"),
    )
    budget = models.DecimalField(
        _("投资（万元）"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    planned_completion = models.DateField(_("计划完成日期"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    implementation_started_on = models.DateField(_("开始实施日期"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["vote", "number"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "number"], name="candidate_number_unique"),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="candidate_percent_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class VoterRecord(models.Model):
    """One deputy of the frozen electorate: how they vote, and whether they have voted.

    Written when voting opens (in registry order, before any ballot exists) and then only the
    `voted` flag changes, in the same transaction as the ballot. No time is recorded."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上投票")
        PAPER = "paper", _("纸质选票")

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="voters")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="vote_records", verbose_name=_("代表")
    )
    channel = models.CharField(
        _("投票方式"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    voted = models.BooleanField(_("已投票"), default=False)

    class Meta:
        verbose_name = _("投票代表")
        verbose_name_plural = _("投票代表")
        constraints = [
            models.UniqueConstraint(fields=["vote", "deputy"], name="voter_once_per_vote"),
        ]
        indexes = [models.Index(fields=["vote", "channel", "voted"])]


class Ballot(models.Model):
    """What one ballot says, and nothing about who cast it or when.

    `content` is the canonical line: one letter per candidate in ballot-number order (Y 赞成,
    N 不赞成, A 弃权; candidate numbers are fixed when voting opens). The id is random (uuid4)
    and is replaced whenever the vote's ballots are mixed; there is no timestamp, no channel
    and, in secret mode, no voter. `voter` is filled only in open mode (记名投票), where the
    database then also refuses a second ballot from the same deputy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(ProjectVote, on_delete=models.PROTECT, related_name="ballots")
    content = models.CharField(_("选票内容"), max_length=100)
    voter = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("投票代表（记名投票）"),
    )

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "voter"], condition=Q(voter__isnull=False),
                name="ballot_open_mode_once_per_deputy",
            ),
            models.CheckConstraint(condition=Q(content__regex=r"^[YNA]+$"), name="ballot_content_letters"),
        ]


class PaperSlip(models.Model):
    """A paper ballot from the hall, numbered by the tellers; counted once two staff agree."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待第二人录入")
        CONFLICT = "conflict", _("两次录入不一致")
        COUNTED = "counted", _("已计入")

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="paper_slips")
    number = models.PositiveIntegerField(_("选票编号"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invalid = models.BooleanField(_("废票"), default=False)

    class Meta:
        verbose_name = _("纸质选票")
        verbose_name_plural = _("纸质选票")
        ordering = ["vote", "number"]
        constraints = [models.UniqueConstraint(fields=["vote", "number"], name="paper_slip_number_unique")]


class PaperEntry(models.Model):
    """One staff member's typing of a paper slip. `content` is the canonical line (one letter per
    candidate in ballot order) or "X" for an invalid slip (废票)."""

    INVALID = "X"

    slip = models.ForeignKey(PaperSlip, on_delete=models.CASCADE, related_name="entries")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    content = models.CharField(_("选票内容"), max_length=60)
    voter = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("投票代表（记名投票）"),
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("纸质选票录入")
        verbose_name_plural = _("纸质选票录入")
        ordering = ["slip", "entered_at"]
        constraints = [
            models.UniqueConstraint(fields=["slip", "entered_by"], name="paper_entry_once_per_staff")
        ]


class Milestone(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    due_date = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("实施节点")
        verbose_name_plural = _("实施节点")
        ordering = ["candidate", "due_date", "id"]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        return self.done_on is None and self.due_date < (today or timezone.localdate())


class ProgressReport(models.Model):
    """The responsible unit's progress for one month (一月一督促); revised, not duplicated."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(_("月份"))
    text = models.TextField(_("进展情况"), max_length=3000)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), validators=[MaxValueValidator(100)])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送人")
    )
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度进展")
        verbose_name_plural = _("月度进展")
        ordering = ["candidate", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "month"], name="progress_once_a_month"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max_100"),
        ]


class Inspection(models.Model):
    """A deputy's inspection note on a project (代表视察)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="inspections")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="project_inspections",
        verbose_name=_("视察代表"),
    )
    visited_on = models.DateField(_("视察日期"))
    note = models.TextField(_("视察意见"), max_length=3000)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表视察")
        verbose_name_plural = _("代表视察")
        ordering = ["candidate", "-visited_on", "-id"]


class ProjectPhoto(models.Model):
    """A photo attached to a progress report or an inspection (re-encoded by core.uploads)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="photos")
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to="votes/%Y/%m/")

    class Meta:
        verbose_name = _("项目照片")
        verbose_name_plural = _("项目照片")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False) | Q(inspection__isnull=False),
                name="project_photo_has_owner",
            )
        ]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Evaluation(models.Model):
    """A deputy's year-end rating of one project (测评); one per deputy and project."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="evaluations")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="project_evaluations",
        verbose_name=_("测评代表"),
    )
    rating = models.CharField(_("测评意见"), max_length=20, choices=Rating.choices)
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("测评时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目测评")
        verbose_name_plural = _("项目测评")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "deputy"], name="evaluation_once_per_deputy")
        ]
