"""代表建议和议案: the closed loop 提 → 交 → 办 → 督 → 评.

A suggestion moves through `State` only by the steps in `TRANSITIONS` (services.py holds one
function per step). Nothing is deleted: withdrawal, merging and conversion to a reference letter
are states. Every step is a `TimelineEntry` (who, when, note)."""

from calendar import monthrange
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import choice_display
from core.search import SearchableModel, SearchDocumentField, search

from accounts.models import Role
from divisions.models import OfACongress
from divisions.scope import in_scope, scope_of


def add_months(day, months):
    """The same day `months` later; the 31st becomes the month's last day (1月31日 + 1 = 2月28日)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month_index + 1, min(day.day, monthrange(year, month_index + 1)[1]))


def chinese_date(day):
    """2026年3月8日."""
    return f"{day.year}年{day.month}月{day.day}日"


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议、批评和意见")
    MOTION = "motion", _("议案")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审查")
    ACCEPTED = "accepted", _("已立案")
    REFERENCE = "reference", _("转参阅件")
    MERGED = "merged", _("已并案")
    WITHDRAWN = "withdrawn", _("已撤回")
    ASSIGNED = "assigned", _("办理中")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    EVALUATED = "evaluated", _("已测评")
    HEARING = "hearing", _("待听证评议")
    CLOSED = "closed", _("已办结")


class Step(models.TextChoices):
    """Everything that can happen to a suggestion; each is one service function."""

    CREATE = "create", _("起草")
    EDIT = "edit", _("修改草稿")
    INVITE = "invite", _("邀请附议")
    COSIGN = "cosign", _("确认附议")
    DECLINE = "decline", _("谢绝附议")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    ACCEPT = "accept", _("立案")
    CONVERT = "convert", _("转为参阅件")
    MERGE = "merge", _("并案")
    ASSIGN = "assign", _("交办")
    INPUT = "input", _("协办意见")
    CONTACT = "contact", _("办前沟通")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    GRANT_EXTENSION = "grant_extension", _("同意延期")
    REFUSE_EXTENSION = "refuse_extension", _("不同意延期")
    SUPERVISE = "supervise", _("重点督办")
    PROGRESS = "progress", _("报送办理进展")
    REPLY = "reply", _("答复")
    EVALUATE = "evaluate", _("满意度测评")
    CLOSE = "close", _("办结")
    HEARING = "hearing", _("听证评议")
    PUBLISH = "publish", _("公开答复")
    UNPUBLISH = "unpublish", _("取消公开")
    OVERDUE = "overdue", _("逾期未答复")


HANDLING = frozenset({State.ASSIGNED, State.REHANDLING})
# A reply stands (the loop's "办结" counts these; re-handling has withdrawn the last answer).
ANSWERED = frozenset({State.REPLIED, State.EVALUATED, State.HEARING, State.CLOSED})
HAS_REPLY = ANSWERED | {State.REHANDLING}
# What a staff list counts as a suggestion (not drafts, withdrawn or merged-away ones).
COUNTED_OUT = frozenset({State.DRAFT, State.WITHDRAWN, State.MERGED})
FINAL = frozenset({State.REFERENCE, State.MERGED, State.WITHDRAWN, State.CLOSED})

# The transition table: step -> (states it may start from, state(s) it leads to).
# A target of None means the step is recorded on the timeline and the state stays.
# EVALUATE leads to EVALUATED (满意/基本满意), to REHANDLING (the first 不满意) or to HEARING
# (不满意 again after re-handling: a public hearing or democratic review is recorded).
TRANSITIONS = {
    Step.EDIT: ({State.DRAFT}, None),
    Step.INVITE: ({State.DRAFT}, None),
    Step.COSIGN: ({State.DRAFT}, None),
    Step.DECLINE: ({State.DRAFT}, None),
    Step.SUBMIT: ({State.DRAFT}, State.SUBMITTED),
    Step.WITHDRAW: ({State.DRAFT, State.SUBMITTED}, State.WITHDRAWN),
    Step.ACCEPT: ({State.SUBMITTED}, State.ACCEPTED),
    Step.CONVERT: ({State.SUBMITTED}, State.REFERENCE),
    Step.MERGE: ({State.SUBMITTED, State.ACCEPTED}, State.MERGED),
    Step.ASSIGN: ({State.ACCEPTED}, State.ASSIGNED),
    Step.INPUT: (HANDLING, None),
    Step.CONTACT: (HANDLING, None),
    Step.REQUEST_EXTENSION: ({State.ASSIGNED}, None),
    Step.GRANT_EXTENSION: ({State.ASSIGNED}, None),
    Step.REFUSE_EXTENSION: ({State.ASSIGNED}, None),
    Step.SUPERVISE: ({State.ACCEPTED} | HANDLING, None),
    Step.PROGRESS: (HANDLING, None),
    Step.REPLY: (HANDLING, State.REPLIED),
    Step.EVALUATE: ({State.REPLIED}, (State.EVALUATED, State.REHANDLING, State.HEARING)),
    Step.CLOSE: ({State.EVALUATED}, State.CLOSED),
    Step.HEARING: ({State.HEARING}, State.CLOSED),
    Step.PUBLISH: (HAS_REPLY, None),
    Step.UNPUBLISH: (HAS_REPLY, None),
    Step.OVERDUE: (HANDLING, None),
}


def step_allowed(state, step):
    return state in TRANSITIONS[step][0]


class ReplyClass(models.TextChoices):
    A = "A", _("A类：已解决或采纳")
    B = "B", _("B类：正在解决或列入计划解决")
    C = "C", _("C类：因条件限制留作参考")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASIC)


class Category(models.Model):
    """建议类别, e.g. 城乡建设, 教育科技. Counties keep their own list in the admin."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("建议类别")
        verbose_name_plural = _("建议类别")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class NumberSequence(models.Model):
    """The last number given out in one numbering scope (a session, or a recess year).
    Incremented with a row-locking UPDATE, so concurrent submissions never share a number."""

    key = models.CharField(max_length=50, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.key}: {self.last}"


class SuggestionQuerySet(models.QuerySet):
    def counted(self):
        """What the figures count: submitted suggestions, not drafts, withdrawn or merged ones."""
        return self.exclude(state__in=COUNTED_OUT)

    def handling(self):
        return self.filter(state__in=HANDLING)

    def overdue(self, today=None):
        return self.handling().filter(deadline__lt=today or timezone.localdate())

    def in_scope(self, scope):
        """The suggestions of a region (`divisions.scope.Scope`): those raised in the congresses
        of the region and below, and those whose lead deputy lives there (a county deputy's
        suggestion to the county congress is also their township's)."""
        if scope.is_whole:
            return self
        return self.filter(in_scope(scope, "congress") | in_scope(scope, "township"))

    def visible_to(self, user):
        """The permission scope of every list and detail page, and of the API.

        Staff: every submitted suggestion of their region (see below);
        a deputy: those they lead or were invited to co-sign; a unit: those assigned to it as lead
        or co-unit. Drafts are their author's (and invited co-signers') alone."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in (Role.ADMIN, Role.STAFF):
            return self.exclude(state=State.DRAFT).in_scope(scope_of(user))
        if user.role == Role.DEPUTY:
            deputy_id = deputy_id_of(user)
            if deputy_id is None:
                return self.none()
            # The co-signed ones as a list: `lead = … OR id IN (…)` is two index scans, where an
            # EXISTS inside the OR made PostgreSQL read every suggestion.
            cosigned = list(Cosigner.objects.filter(deputy_id=deputy_id).values_list("suggestion_id", flat=True))
            return self.filter(Q(lead_deputy_id=deputy_id) | Q(pk__in=cosigned))
        if user.role == Role.UNIT and user.handling_unit_id:
            return self.filter(
                Exists(
                    Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=user.handling_unit_id)
                )
            )
        return self.none()

    def search(self, text):
        """The suggestions whose title, content or replies hold the words of `text`, best first
        (core.search: ranked full text on PostgreSQL, contains elsewhere); "第3号" or "3" also
        finds suggestion number 3."""
        text = (text or "").strip()
        number = text.removeprefix("第").removesuffix("号")
        extra = Q(number=int(number)) if number.isdigit() and len(number) < 9 else None
        return search(
            self, text, contains=["title"], extra=extra,
            fallback=["title", "content", lambda t: Q(pk__in=Reply.objects.filter(text__icontains=t).values("suggestion_id"))],
        )

    def for_list(self):
        """With what a list row shows. The two smallest tables (categories, townships) come by
        prefetch, not by join: PostgreSQL's planning time grows steeply with each join (at city
        scale, a page of 30 with five joins spent 10–13 ms planning for 1 ms of execution)."""
        return (
            self.select_related("lead_deputy", "lead_unit", "session")
            .prefetch_related("category", "township")
            .defer("search_vector")  # the search's words: a list never shows them
        )


def deputy_id_of(user):
    """The registry entry of a deputy's account (None when the account has none)."""
    if not hasattr(user, "_suggestions_deputy_id"):
        from deputies.models import Deputy

        user._suggestions_deputy_id = (
            Deputy.objects.filter(user=user).values_list("pk", flat=True).first()
        )
    return user._suggestions_deputy_id


class Suggestion(SearchableModel, OfACongress):
    """代表建议 or 议案: drafted by a lead deputy (领衔), co-signed (附议), reviewed, assigned to a
    lead unit (主办) and co-units (协办), replied to, evaluated, closed."""

    Kind = Kind
    State = State

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SUGGESTION)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    get_state_display = choice_display("state")  # on every row of the lists
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("类别")
    )
    lead_deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        related_name="led_suggestions",
        verbose_name=_("领衔代表"),
    )
    congress = models.ForeignKey(
        "divisions.Congress",
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name=_("人民代表大会"),
        help_text=_("向哪一级人大提出：编号、交办、统计都在这一级"),
    )
    township = models.ForeignKey(
        "divisions.Township",
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name=_("乡镇"),
        help_text=_("领衔代表所在乡镇"),
    )
    session = models.ForeignKey(
        "deputies.CongressSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("大会会议"),
        help_text=_("大会期间提出的建议；闭会期间提出的留空"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    source_reception = models.ForeignKey(
        "stations.Reception",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("来源：接待群众"),
        help_text=_("代表在家室站点接待群众时听到、据此提出的建议"),
    )
    source_opinion = models.ForeignKey(
        "opinions.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("来源：群众意见"),
        help_text=_("代表接单的群众意见转为的建议"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("并入"),
    )
    reference_reason = models.TextField(_("转参阅件理由"), blank=True)
    lead_unit = models.ForeignKey(
        "divisions.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_suggestions",
        verbose_name=_("主办单位"),
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    deadline = models.DateField(_("答复期限"), null=True, blank=True)
    max_deadline = models.DateField(_("最迟期限"), null=True, blank=True)
    overdue_flagged_for = models.DateField(_("已标记逾期的期限"), null=True, blank=True, editable=False)
    is_key = models.BooleanField(_("重点督办"), default=False)
    supervisor = models.CharField(_("督办领导"), max_length=60, blank=True)
    reply_class = models.CharField(
        _("答复类别"), max_length=1, choices=ReplyClass.choices, blank=True,
        help_text=_("最近一次答复"),
    )
    rating = models.CharField(
        _("测评结果"), max_length=20, choices=Rating.choices, blank=True,
        help_text=_("最近一次满意度测评"),
    )
    replied_late = models.BooleanField(_("曾逾期答复"), default=False)
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Title (A), content (B) and the replies' texts (C) cut into words (core.search); a reply
    # sets replied_at, which rewrites it.
    search_vector = SearchDocumentField(_("检索词"), sources=["title", "content", "replied_at"])

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-year", "session_id", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=Q(session__isnull=False),
                name="suggestion_number_unique_in_session",
            ),
            models.UniqueConstraint(
                fields=["congress", "year", "number"],
                condition=Q(session__isnull=True, number__isnull=False),
                name="suggestion_number_unique_in_recess_year",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["lead_unit", "state"]),
            models.Index(fields=["year", "state"]),
            models.Index(fields=["session", "state"]),
            models.Index(fields=["township", "state"]),
            # The list filters that select few rows (议案, 重点督办, a reply class or rating) and
            # the lists' order.
            models.Index(fields=["kind", "state"], name="suggestion_kind_idx"),
            models.Index(fields=["is_key"], name="suggestion_key_idx", condition=Q(is_key=True)),
            models.Index(fields=["reply_class"], name="suggestion_reply_class_idx"),
            models.Index(fields=["rating"], name="suggestion_rating_idx"),
            models.Index(fields=["-year", "session", "-number", "-id"], name="suggestion_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def search_parts(self):
        """What the search finds a suggestion by: its title, content and replies."""
        parts = [(self.title, "A"), (self.content, "B")]
        if self.pk and self.first_replied_at:
            parts += [(reply.text, "C") for reply in self.replies.all()]
        return parts

    @staticmethod
    def search_queryset(queryset):
        return queryset.prefetch_related("replies")

    @property
    def code(self):
        """第3号 (a session's number) or 2026年闭会第5号; drafts have none."""
        if self.number is None:
            return str(_("草稿")) if self.state == State.DRAFT else "—"
        if self.session_id:
            return str(_("第%(n)s号")) % {"n": self.number}
        return str(_("%(year)s年闭会第%(n)s号")) % {"year": self.year, "n": self.number}

    @property
    def period_display(self):
        if self.number is None:
            return ""
        return _("大会期间") if self.session_id else _("闭会期间")

    @property
    def is_handling(self):
        return self.state in HANDLING

    def days_left(self, today=None):
        if not self.is_handling or self.deadline is None:
            return None
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def is_overdue(self):
        left = self.days_left()
        return left is not None and left < 0

    @property
    def overdue_days(self):
        left = self.days_left()
        return -left if left is not None and left < 0 else 0

    @property
    def has_reply(self):
        return self.state in HAS_REPLY

    @property
    def state_badge(self):
        """The CSS badge class of the state (see lianxin.css)."""
        if self.is_overdue:
            return "danger"
        return {
            State.SUBMITTED: "info",
            State.ACCEPTED: "info",
            State.ASSIGNED: "warn",
            State.REPLIED: "info",
            State.REHANDLING: "danger",
            State.EVALUATED: "ok",
            State.HEARING: "danger",
            State.CLOSED: "ok",
        }.get(self.state, "")


class Cosigner(models.Model):
    """附议: a deputy the lead deputy invited; counts once confirmed from the deputy's account."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="cosigned_suggestions",
        verbose_name=_("附议代表"),
    )
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("谢绝时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_once")
        ]

    def __str__(self):
        return str(self.deputy)

    @property
    def status_display(self):
        if self.confirmed_at:
            return _("已附议")
        if self.declined_at:
            return _("已谢绝")
        return _("待确认")


class Attachment(models.Model):
    """A file of the draft (PDF or photo), checked by content in core.uploads."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="suggestions/drafts/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("建议附件")
        verbose_name_plural = _("建议附件")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """交办: one lead unit (主办) and any co-units (协办). A co-unit sends its input to the lead."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, related_name="suggestion_assignments",
        verbose_name=_("承办单位"),
    )
    role = models.CharField(_("承办方式"), max_length=10, choices=Role.choices)
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    input = models.TextField(_("协办意见"), blank=True)
    input_at = models.DateTimeField(_("协办意见时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办单位")
        verbose_name_plural = _("交办单位")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "unit"], name="assignment_once_per_unit"),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(role="lead"), name="assignment_one_lead_unit"
            ),
        ]

    def __str__(self):
        return f"{self.unit}（{self.get_role_display()}）"


class Contact(models.Model):
    """办前沟通: the lead unit's contact with the deputy before it replies."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("当面沟通")
        PHONE = "phone", _("电话沟通")
        FORUM = "forum", _("座谈会")
        SITE = "site", _("现场察看")
        OTHER = "other", _("其他")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    unit = models.ForeignKey("divisions.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField(_("沟通日期"))
    method = models.CharField(_("沟通方式"), max_length=20, choices=Method.choices)
    note = models.TextField(_("沟通情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办前沟通")
        verbose_name_plural = _("办前沟通")
        ordering = ["contacted_on", "id"]


class Extension(models.Model):
    """A unit's request for more time, decided by staff; never beyond the six-month limit."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        GRANTED = "granted", _("已同意")
        REFUSED = "refused", _("不同意")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("divisions.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(_("审批状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    previous_deadline = models.DateField(_("原答复期限"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(status="pending"), name="extension_one_pending"
            )
        ]


class Reply(models.Model):
    """答复: the lead unit's written reply of one round, with its signed PDF."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, related_name="suggestion_replies",
        verbose_name=_("答复单位"),
    )
    result_class = models.CharField(_("答复类别"), max_length=1, choices=ReplyClass.choices)
    text = models.TextField(_("答复内容"))
    attachment = models.FileField(_("盖章答复件（PDF）"), upload_to="suggestions/replies/%Y/")
    contact_person = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"))
    deadline = models.DateField(_("当时的答复期限"))
    in_time = models.BooleanField(_("按时答复"))
    is_public = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "round"], name="reply_once_per_round")]
        # The public replies page (suggestions.selectors.public_replies): the published ones,
        # newest first, a page at a time.
        indexes = [
            models.Index(
                fields=["-published_at", "-id"], name="reply_public_order_idx", condition=Q(is_public=True)
            )
        ]

    def __str__(self):
        return f"{self.suggestion.code} {self.get_result_class_display()}"


class Evaluation(models.Model):
    """满意度测评 of one reply, by the lead deputy only."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    reply = models.OneToOneField(Reply, on_delete=models.PROTECT, related_name="evaluation")
    rating = models.CharField(_("测评结果"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("测评时间"))

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="evaluation_once_per_round")
        ]


class Progress(models.Model):
    """重点督办: the lead unit's monthly progress report until it replies."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="progress_reports")
    unit = models.ForeignKey("divisions.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    text = models.TextField(_("办理进展"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理进展")
        verbose_name_plural = _("办理进展")
        ordering = ["month", "id"]


class Hearing(models.Model):
    """公开听证 / 民主评议: recorded when a deputy is still 不满意 after re-handling."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("公开听证")
        REVIEW = "review", _("民主评议")

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="hearing")
    kind = models.CharField(_("形式"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("举行日期"))
    conclusion = models.TextField(_("结论"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("听证评议")
        verbose_name_plural = _("听证评议")


class TimelineEntry(models.Model):
    """One step on a suggestion's timeline: who, when, what, with a note. Never edited."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="timeline")
    step = models.CharField(_("事项"), max_length=30, choices=Step.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_step_display()} {self.at:%Y-%m-%d}"
