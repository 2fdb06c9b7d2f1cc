"""群众意见: what the public raises from a station's QR page or at a reception, and its handling
点单 → 定单 → 接单 → 督单.

An opinion moves through `State` only by the steps in `TRANSITIONS` (services.py holds one
function per step); every step is a `TimelineEntry` (who, when, note). The public follows it by
its random tracking code and sees only each entry's `public_text`, never a name or a number.

An opinion opened from a reception marked 待跟进 (stations.Reception) reads the person and the
content from the reception (`Opinion.reception`) and copies neither; station and category are
stored on the opinion too, because lists filter and count by them."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import choice_display
from core.search import SearchableModel, SearchDocumentField, search

from accounts.models import Role
from audit.registry import note_view
from core.privacy import mask_name, mask_phone
from divisions.scope import within
from core.validators import validate_mobile

# Upper-case letters and digits without look-alikes (0/O, 1/I/L): codes are read aloud, copied
# from a screenshot and typed on a phone. 31^10 ≈ 8·10^14 codes: guessing one is hopeless.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CONTENT_MIN_LENGTH = 10
CONTENT_MAX_LENGTH = 2000
MAX_PHOTOS = 3


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(settings.TRACKING_CODE_LENGTH))


def normalize_tracking_code(text):
    """What a person typed ("abcd-efgh 23") as a stored code, or "" when it cannot be one."""
    code = "".join(ch for ch in str(text or "").upper() if not ch.isspace() and ch != "-")
    if not settings.TRACKING_CODE_LENGTH <= len(code) <= 16:
        return ""
    if any(ch not in TRACKING_ALPHABET for ch in code):
        return ""
    return code


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ADOPTED = "adopted", _("代表已接单")
    REFERRED = "referred", _("已转交办理")
    HANDLING = "handling", _("办理中")
    CLOSED = "closed", _("已办结")
    CONVERTED = "converted", _("已转为代表建议")


class Step(models.TextChoices):
    """Everything that can happen to an opinion; each is one service function."""

    SUBMIT = "submit", _("提交意见")
    ADOPT = "adopt", _("代表接单")
    ANSWER = "answer", _("代表直接答复")
    REFER = "refer", _("转交承办单位")
    ACCEPT = "accept", _("承办单位接单")
    RETURN = "return", _("承办单位退回")
    REPLY = "reply", _("承办单位答复")
    CONVERT = "convert", _("转为代表建议")
    RATE = "rate", _("群众评价")
    OVERDUE = "overdue", _("逾期督办")
    ERASE = "erase", _("清除个人信息")


class Source(models.TextChoices):
    PUBLIC = "public", _("扫码提交")
    RECEPTION = "reception", _("接待登记")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


OPEN_STATES = frozenset({State.SUBMITTED, State.ADOPTED, State.REFERRED, State.HANDLING})
FINAL_STATES = frozenset({State.CLOSED, State.CONVERTED})
# The states that run against a deadline (督单): adopting, and a reply once adopted or referred.
DEADLINE_STATES = OPEN_STATES

# step -> (states it may start from, state it leads to; None: recorded, the state stays).
# RETURN leads back to ADOPTED, or to SUBMITTED when staff referred it before any deputy
# adopted it (services decide which).
TRANSITIONS = {
    Step.ADOPT: ({State.SUBMITTED}, State.ADOPTED),
    Step.ANSWER: ({State.ADOPTED}, State.CLOSED),
    Step.REFER: ({State.SUBMITTED, State.ADOPTED}, State.REFERRED),
    Step.ACCEPT: ({State.REFERRED}, State.HANDLING),
    Step.RETURN: ({State.REFERRED}, State.ADOPTED),
    Step.REPLY: ({State.HANDLING}, State.CLOSED),
    Step.CONVERT: ({State.ADOPTED}, State.CONVERTED),
    Step.RATE: ({State.CLOSED}, None),
    Step.OVERDUE: (DEADLINE_STATES, None),
    Step.ERASE: (FINAL_STATES, None),
}


def step_allowed(state, step):
    return state in TRANSITIONS[step][0]


def _deputy_id(user):
    deputy = getattr(user, "deputy", None)
    return deputy.pk if deputy is not None else None


class OpinionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: every opinion (township staff: their township's stations); a deputy: the
        opinions of the stations they belong to and those they adopted; a unit: what was ever
        referred to it; a station manager: their stations'; anyone else: none."""
        role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
        if role in (Role.ADMIN, Role.STAFF):
            return self.filter(within(user, "station__township"))
        if role == Role.DEPUTY:
            deputy_id = _deputy_id(user)
            if deputy_id is None:
                return self.none()
            from stations.models import StationMembership

            # The deputy's few stations as a list: `station IN (…) OR adopted_by = …` is two index
            # scans, where an EXISTS inside the OR made PostgreSQL read every opinion.
            station_ids = list(
                StationMembership.objects.filter(deputy_id=deputy_id).values_list("station_id", flat=True)
            )
            return self.filter(Q(station_id__in=station_ids) | Q(adopted_by_id=deputy_id))
        if role == Role.UNIT:
            if not user.handling_unit_id:
                return self.none()
            # The opinions ever referred to the unit as a list too (a few hundred a year): as a
            # subquery the list page joined nine relations, one more than PostgreSQL's
            # join_collapse_limit plans together, and depending on the statistics sample it read
            # every opinion (600 ms on city data) instead of the unit's (5 ms).
            referred = TimelineEntry.objects.filter(step=Step.REFER, unit_id=user.handling_unit_id)
            return self.filter(pk__in=sorted(set(referred.values_list("opinion_id", flat=True))))
        if role == Role.STATION_MANAGER:
            return self.filter(station__manager=user)
        return self.none()

    def overdue(self, now=None):
        return self.filter(state__in=DEADLINE_STATES, due_at__lt=now or timezone.now())

    def search(self, text, *, by_name=False):
        """The opinions whose content (or reception's) or reply holds the words of `text`, best
        first (core.search); with `by_name` (staff, who see names) also those of the person
        named so, and a tracking code finds its opinion."""
        text = (text or "").strip()
        code = normalize_tracking_code(text)
        extra = Q(tracking_code=code) if code else None
        names = ["name"] if by_name else []
        return search(
            self, text, contains=names, extra=extra,
            fallback=["content", "reception__content", "reply", *names],
        )

    def for_list(self):
        """With what a list row shows: the opinion's own rows joined, the small tables it names
        (townships, categories, deputies, units) prefetched. PostgreSQL's planning time grows
        steeply with each join: at city scale the page with all seven joined spent about 40 ms
        planning for 3 ms of execution."""
        return (
            self.select_related("station", "reception", "reception__visit")
            .prefetch_related("station__township", "category", "adopted_by", "unit")
            .defer("search_vector")  # the search's words: a list never shows them
        )


class Opinion(SearchableModel, models.Model):
    """群众意见. Never deleted; the person's name and number are erased after the retention
    period (OPINION_RETENTION_DAYS after closing) and the rest is kept for statistics."""

    State = State
    Source = Source
    Rating = Rating

    tracking_code = models.CharField(
        _("查询码"), max_length=16, unique=True, default=new_tracking_code, editable=False
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PUBLIC)
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, related_name="opinions", verbose_name=_("站点")
    )
    category = models.ForeignKey(
        "stations.Category", on_delete=models.PROTECT, related_name="opinions", verbose_name=_("类别")
    )
    content = models.TextField(
        _("意见内容"), blank=True, help_text=_("接待登记的意见读取接待记录，不在此处重复保存。")
    )
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_mobile])
    consent_at = models.DateTimeField(_("同意使用个人信息时间"), null=True, blank=True)
    reception = models.OneToOneField(
        "stations.Reception",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion",
        verbose_name=_("接待记录"),
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    get_state_display = choice_display("state")  # on every row of the lists
    adopted_by = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_opinions",
        verbose_name=_("接单代表"),
    )
    adopted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    unit = models.ForeignKey(
        "divisions.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("承办单位"),
    )
    referred_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    overdue_at = models.DateTimeField(
        _("逾期督办时间"), null=True, blank=True, help_text=_("当前时限逾期后被督办的时间。")
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rating = models.CharField(_("群众评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价留言"), max_length=200, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    erased_at = models.DateTimeField(_("个人信息清除时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # What was raised (A: the opinion's or its reception's content) and the reply (C), cut into
    # words (core.search). Never the person's name or number.
    search_vector = SearchDocumentField(_("检索词"), sources=["content", "reply", "reception"])

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["station", "-created_at"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["unit", "state"]),
            models.Index(
                fields=["closed_at"], name="opinion_erasable_idx", condition=Q(erased_at__isnull=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=Source.PUBLIC, reception__isnull=True)
                | Q(source=Source.RECEPTION, reception__isnull=False),
                name="opinion_source_matches_reception",
            ),
        ]

    def __str__(self):
        return self.tracking_code

    # --- What the opinion says and who raised it (public, or read from the reception) -----

    @property
    def text(self):
        return self.reception.content if self.reception_id else self.content

    def search_parts(self):
        """What the search finds an opinion by: what was raised and the reply."""
        return [(self.text, "A"), (self.reply, "C")]

    @staticmethod
    def search_queryset(queryset):
        return queryset.select_related("reception")

    @property
    def person_name(self):
        return self.reception.visitor_name if self.reception_id else self.name

    @property
    def person_phone(self):
        return self.reception.visitor_phone if self.reception_id else self.phone

    @property
    def masked_phone(self):
        return mask_phone(self.person_phone) if self.person_phone else ""

    def may_see_phone(self, user):
        """Staff and the adopting deputy see the full number; everyone else sees it masked."""
        if user is None or not user.is_authenticated:
            return False
        if user.role in (Role.ADMIN, Role.STAFF):
            return True
        return user.role == Role.DEPUTY and self.adopted_by_id is not None and (
            self.adopted_by_id == _deputy_id(user)
        )

    @staticmethod
    def may_see_name(user):
        """Staff see citizens' names; units, deputies and station managers see them masked (王*)
        unless they reveal one opinion's contact with a reason (`services.reveal_contact`)."""
        return user is not None and user.is_authenticated and user.role in (Role.ADMIN, Role.STAFF)

    def name_for(self, user, *, revealed=False):
        name = self.person_name
        if not name:
            return ""
        return name if revealed or self.may_see_name(user) else mask_name(name)

    def phone_for(self, user):
        """The number `user` may see; a full one is noted for the request's 查阅 audit entry."""
        if not self.person_phone:
            return ""
        if self.may_see_phone(user):
            note_view(_("群众意见"))
            return self.person_phone
        return self.masked_phone

    # --- Deadlines -------------------------------------------------------------------------

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def can_be_rated(self):
        return self.state == State.CLOSED and self.rated_at is None


class TimelineEntry(models.Model):
    """One step on an opinion's timeline: who, when, what, a note. `public_text` is what the
    tracking page shows (blank: staff only); it never names the person who raised it."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("意见"))
    step = models.CharField(_("环节"), max_length=12, choices=Step.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("承办单位"),
    )
    note = models.TextField(_("说明"), blank=True)
    public_text = models.CharField(_("公开显示"), max_length=200, blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["unit", "step"])]

    def __str__(self):
        return f"{self.opinion} {self.get_step_display()}"


class OpinionPhoto(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="photos", verbose_name=_("意见"))
    image = models.ImageField(_("照片"), upload_to="opinions/%Y/%m/")

    class Meta:
        verbose_name = _("意见照片")
        verbose_name_plural = _("意见照片")
        ordering = ["id"]
