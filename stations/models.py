"""家室站点: liaison stations, members, the "逢6" duty schedule, visits and receptions,
activities and learning materials.

Other apps read these models (opinions link a Reception, points count visits, attendance and
reads) but stations imports none of them."""

import secrets
from calendar import monthrange
from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.links import absolute_url
from core.models import Holiday  # noqa: F401 (moved to core: the calendar's local overrides)
from core.privacy import mask_phone
from audit.registry import note_view
from core.privacy import mask_name
from divisions.scope import regions_around, scope_region_name, within, within_or_above
from core.validators import validate_mobile

# No look-alikes (0/o, 1/l/i): codes are read aloud and typed from posters.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8


def new_station_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _role(user):
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def _deputy_id(user):
    deputy = getattr(user, "deputy", None) if _role(user) == Role.DEPUTY else None
    return deputy.pk if deputy is not None else None


class Category(models.Model):
    """What the public raises (交通出行, 教育 …), a list staff edit. Receptions and public
    opinions share it."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("意见类别")
        verbose_name_plural = _("意见类别")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


# --- Duty rules and holidays ----------------------------------------------------------------


class DutyRule(models.Model):
    """When a station holds duty days. Either days of the month (逢6: 6, 16, 26) or the nth
    weekday of the month (每月第三周星期二). The rule marked default applies to every station
    without its own."""

    class Kind(models.TextChoices):
        DAYS_OF_MONTH = "days", _("每月固定日期")
        NTH_WEEKDAY = "weekday", _("每月第几周星期几")

    class HolidayPolicy(models.TextChoices):
        MOVE = "move", _("顺延到下一个工作日")
        SKIP = "skip", _("当次取消")

    class Week(models.IntegerChoices):
        FIRST = 1, _("第一周")
        SECOND = 2, _("第二周")
        THIRD = 3, _("第三周")
        FOURTH = 4, _("第四周")
        FIFTH = 5, _("第五周")
        LAST = -1, _("最后一周")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("星期一")
        TUESDAY = 1, _("星期二")
        WEDNESDAY = 2, _("星期三")
        THURSDAY = 3, _("星期四")
        FRIDAY = 4, _("星期五")
        SATURDAY = 5, _("星期六")
        SUNDAY = 6, _("星期日")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("规则类型"), max_length=10, choices=Kind.choices, default=Kind.DAYS_OF_MONTH)
    days = models.JSONField(
        _("每月日期"), default=list, blank=True, help_text=_("例如 6、16、26（逢6进站）")
    )
    week = models.SmallIntegerField(_("第几周"), choices=Week.choices, null=True, blank=True)
    weekday = models.SmallIntegerField(_("星期几"), choices=Weekday.choices, null=True, blank=True)
    deputies_per_shift = models.PositiveSmallIntegerField(
        _("每班代表人数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    holiday_policy = models.CharField(
        _("遇节假日"), max_length=10, choices=HolidayPolicy.choices, default=HolidayPolicy.MOVE
    )
    start_time = models.TimeField(_("开始时间"), default=time(9, 0))
    end_time = models.TimeField(_("结束时间"), default=time(11, 30))
    is_default = models.BooleanField(
        _("全县默认"), default=False, help_text=_("没有单独设置规则的站点都按默认规则排班。")
    )

    class Meta:
        verbose_name = _("值班规则")
        verbose_name_plural = _("值班规则")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="dutyrule_one_default"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="dutyrule_times_ordered"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.DAYS_OF_MONTH:
            days = self.days if isinstance(self.days, list) else []
            if not days or any(not isinstance(d, int) or not 1 <= d <= 31 for d in days):
                errors["days"] = _("请填写 1 到 31 之间的日期，例如 6、16、26。")
        else:
            if self.week is None:
                errors["week"] = _("请选择第几周。")
            if self.weekday is None:
                errors["weekday"] = _("请选择星期几。")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("结束时间必须晚于开始时间。")
        if errors:
            raise ValidationError(errors)

    @property
    def description(self):
        """In words, for posters and pages: 每月6日、16日、26日 / 每月第三周星期二."""
        if self.kind == self.Kind.DAYS_OF_MONTH:
            days = "、".join(f"{d}日" for d in sorted(self.days or []))
            return _("每月%(days)s") % {"days": days}
        week = self.Week(self.week).label if self.week is not None else ""
        weekday = self.Weekday(self.weekday).label if self.weekday is not None else ""
        return _("每月%(week)s%(weekday)s") % {"week": week, "weekday": weekday}

    def dates_in(self, year, month):
        """The rule's dates in a month before holidays (a 31st or a 5th weekday that the month
        lacks gives no date)."""
        last = monthrange(year, month)[1]
        if self.kind == self.Kind.DAYS_OF_MONTH:
            return sorted({date(year, month, d) for d in (self.days or []) if 1 <= d <= last})
        if self.week is None or self.weekday is None:
            return []
        first_weekday = date(year, month, 1).weekday()
        first = 1 + (self.weekday - first_weekday) % 7
        matches = list(range(first, last + 1, 7))
        if self.week == -1:
            return [date(year, month, matches[-1])]
        if self.week > len(matches):
            return []
        return [date(year, month, matches[self.week - 1])]


def default_duty_rule():
    """The county default rule; an unsaved 逢6 rule when staff have not set one."""
    rule = DutyRule.objects.filter(is_default=True).first()
    if rule is None:
        rule = DutyRule(name=str(_("逢6进站")), days=list(settings.DUTY_DEFAULT_DAYS), is_default=True)
    return rule


# --- Stations and members -------------------------------------------------------------------


class StationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Admin and staff: every station (township staff: their township's); a station manager:
        the stations they manage; a deputy: the stations they belong to; anyone else: none."""
        role = _role(user)
        if role in (Role.ADMIN, Role.STAFF):
            return self.filter(within(user, "township"))
        if role == Role.STATION_MANAGER:
            return self.filter(manager=user)
        if role == Role.DEPUTY:
            deputy_id = _deputy_id(user)
            return self.filter(memberships__deputy_id=deputy_id).distinct() if deputy_id else self.none()
        return self.none()

    def search(self, term):
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(Q(name__icontains=term) | Q(address__icontains=term) | Q(code=term.lower()))

    def with_counts(self, year=None):
        """Members, visits and receptions this year, each one subquery (no join fan-out)."""
        year = year or timezone.localdate().year
        start, end = date(year, 1, 1), date(year + 1, 1, 1)

        def count_of(queryset):
            return models.Subquery(
                queryset.filter(station=models.OuterRef("pk"))
                .order_by()
                .values("station")
                .annotate(n=models.Count("pk"))
                .values("n"),
                output_field=models.IntegerField(),
            )

        return self.annotate(
            member_count=models.functions.Coalesce(count_of(StationMembership.objects.all()), 0),
            visit_count=models.functions.Coalesce(
                count_of(Visit.objects.filter(date__gte=start, date__lt=end)), 0
            ),
            reception_count=models.functions.Coalesce(
                models.Subquery(
                    Reception.objects.filter(
                        visit__station=models.OuterRef("pk"),
                        visit__date__gte=start,
                        visit__date__lt=end,
                    )
                    .order_by()
                    .values("visit__station")
                    .annotate(n=models.Count("pk"))
                    .values("n"),
                    output_field=models.IntegerField(),
                ),
                0,
            ),
        )

    def for_list(self):
        return self.select_related("township", "manager", "named_after")


class Station(models.Model):
    """A liaison station (家室站点). Its public code is random, stable and safe in a URL: the QR
    code on its poster opens /s/<code>/."""

    class Kind(models.TextChoices):
        HOME = "home", _("代表之家")
        STUDIO = "studio", _("代表工作室")
        STATION = "station", _("代表联络站")
        POINT = "point", _("联系点/实践点")

    class Mode(models.TextChoices):
        FIXED = "fixed", _("固定站")
        MOBILE = "mobile", _("流动站")
        ONLINE = "online", _("云端站")

    code = models.CharField(
        _("公开编码"), max_length=16, unique=True, default=new_station_code, editable=False
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.STATION)
    mode = models.CharField(_("形式"), max_length=10, choices=Mode.choices, default=Mode.FIXED)
    township = models.ForeignKey(
        "divisions.Township", on_delete=models.PROTECT, related_name="stations", verbose_name=_("所在乡镇")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    named_after = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_studios",
        verbose_name=_("冠名代表"),
        help_text=_("以代表姓名命名的代表工作室填写"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_stations",
        limit_choices_to={"role": Role.STATION_MANAGER},
        verbose_name=_("站点管理员"),
    )
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="stations/", blank=True)
    duty_rule = models.ForeignKey(
        DutyRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("值班规则"),
        help_text=_("留空按全县默认规则（逢6进站）"),
    )
    duty_enabled = models.BooleanField(_("安排值班"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    members = models.ManyToManyField(
        "deputies.Deputy", through="StationMembership", related_name="stations", verbose_name=_("驻站代表")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("家室站点")
        verbose_name_plural = _("家室站点")
        ordering = ["township__sort_order", "kind", "name", "id"]
        indexes = [models.Index(fields=["township", "is_active"])]

    def __str__(self):
        return self.name

    @property
    def public_path(self):
        return f"/s/{self.code}/"

    @property
    def public_url(self):
        return absolute_url(self.public_path)

    def rule(self, default=None):
        """The duty rule that applies (its own or the county default)."""
        if self.duty_rule_id:
            return self.duty_rule
        return default if default is not None else default_duty_rule()


class StationMembership(models.Model):
    """A deputy assigned to a station (编入家站点). Every active deputy belongs to at least one."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("站点"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("代表")
    )
    is_leader = models.BooleanField(_("站长"), default=False)
    joined_on = models.DateField(_("进站日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("驻站代表")
        verbose_name_plural = _("驻站代表")
        ordering = ["station", "-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "deputy"], name="membership_once")
        ]

    def __str__(self):
        return f"{self.deputy} @ {self.station}"


class Unavailability(models.Model):
    """A period when a deputy cannot take duty (出差、住院 …); the scheduler skips them."""

    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="unavailability", verbose_name=_("代表")
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("不能值班时段")
        verbose_name_plural = _("不能值班时段")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="unavailability_ordered")
        ]

    def __str__(self):
        return f"{self.deputy} {self.start}–{self.end}"


# --- Duty shifts ----------------------------------------------------------------------------


class DutyShiftQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(station__in=Station.objects.visible_to(user).values("pk"))

    def in_month(self, year, month):
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        return self.filter(date__gte=start, date__lt=end)


class DutyShift(models.Model):
    """One duty day at one station (排班). Its deputies are DutyAssignment rows."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("站点"))
    date = models.DateField(_("值班日期"))
    moved_from = models.DateField(
        _("原定日期"), null=True, blank=True, help_text=_("遇节假日顺延时记录原来的日期")
    )
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    created_at = models.DateTimeField(_("排班时间"), auto_now_add=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["date", "station_id"]
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="shift_once_a_day")]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.station} {self.date}"


class DutyAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(shift__station__in=Station.objects.visible_to(user).values("pk"))

    def missed(self, today=None):
        """Past shifts the deputy did not attend (no visit logged at the station that day)."""
        today = today or timezone.localdate()
        return self.filter(shift__date__lt=today).exclude(attendance=DutyAssignment.Attendance.ATTENDED)


class DutyAssignment(models.Model):
    """A deputy on a shift. `slot` orders turns (date, then position on the shift); the scheduler
    gives the next turn to the member whose last turn is oldest, which keeps turns fair."""

    class Attendance(models.TextChoices):
        PENDING = "pending", _("待值班")
        ATTENDED = "attended", _("到岗")
        ABSENT = "absent", _("缺勤")

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("值班"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="duty_assignments", verbose_name=_("代表")
    )
    slot = models.PositiveIntegerField(_("轮次"))
    attendance = models.CharField(
        _("出勤"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )
    visit = models.ForeignKey(
        "Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("进站记录")
    )
    swapped_from = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原排班代表"),
    )
    is_manual = models.BooleanField(_("人工调整"), default=False)

    objects = DutyAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班代表")
        verbose_name_plural = _("值班代表")
        ordering = ["shift__date", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "deputy"], name="assignment_once_per_shift")
        ]
        indexes = [models.Index(fields=["deputy", "attendance"])]

    def __str__(self):
        return f"{self.deputy} {self.shift}"


class SwapRequest(models.Model):
    """A deputy asks to hand a shift to someone else (调班); staff or the station manager decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("未同意")
        CANCELLED = "cancelled", _("已撤回")

    assignment = models.ForeignKey(
        DutyAssignment, on_delete=models.CASCADE, related_name="swap_requests", verbose_name=_("值班")
    )
    requested_by = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="+", verbose_name=_("申请代表")
    )
    proposed = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("建议替班代表"),
    )
    reason = models.CharField(_("原因"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调班申请")
        verbose_name_plural = _("调班申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="pending"), name="swap_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.requested_by} {self.assignment.shift}"


class ScheduledMonth(models.Model):
    """One row per month the scheduler has run for; locking it serialises concurrent runs."""

    month = models.DateField(_("月份"), unique=True)
    runs = models.PositiveIntegerField(_("运行次数"), default=0)
    last_run_at = models.DateTimeField(_("最近运行"), null=True, blank=True)

    class Meta:
        verbose_name = _("排班月份")
        verbose_name_plural = _("排班月份")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


# --- Visits and receptions ------------------------------------------------------------------


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: all (township staff: their township's stations); a station manager: visits at
        their stations; a deputy: their own."""
        role = _role(user)
        if role in (Role.ADMIN, Role.STAFF):
            return self.filter(within(user, "station__township"))
        if role == Role.STATION_MANAGER:
            return self.filter(station__manager=user)
        if role == Role.DEPUTY:
            deputy_id = _deputy_id(user)
            return self.filter(deputy_id=deputy_id) if deputy_id else self.none()
        return self.none()

    def for_list(self):
        # A subquery counts the receptions of the visits on the page only; a JOIN with GROUP BY
        # counted every reception before the LIMIT.
        receptions = (
            Reception.objects.filter(visit=models.OuterRef("pk")).order_by().values("visit")
            .annotate(n=models.Count("pk")).values("n")
        )
        return (
            self.select_related("station", "station__township", "deputy")
            .annotate(reception_total=models.functions.Coalesce(
                models.Subquery(receptions, output_field=models.IntegerField()), 0))
            .order_by("-date", "-start_time", "-id")
        )


class Visit(models.Model):
    """进站履职: a deputy's visit to a station, with the constituents received."""

    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="visits", verbose_name=_("代表")
    )
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="visits", verbose_name=_("站点"))
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    summary = models.TextField(_("履职情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("进站履职")
        verbose_name_plural = _("进站履职")
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="visit_times_ordered")
        ]
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["deputy", "date"]),
            # The lists' order (newest first), so a page is an index scan with a LIMIT.
            models.Index(fields=["-date", "-start_time", "-id"], name="visit_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.deputy} {self.station} {self.date}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("进站记录"))
    image = models.ImageField(_("照片"), upload_to="visits/%Y/%m/")

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["id"]


class Reception(models.Model):
    """接待群众: one constituent received during a visit. It holds the visitor's name, phone,
    village, category and what was raised itself, so a public opinion can point at it
    (opinions.Opinion.reception, related_name "opinion") without copying anything."""

    class Handling(models.TextChoices):
        ANSWERED = "answered", _("当场答复")
        FOLLOW_UP = "follow_up", _("待跟进")
        REFERRED = "referred", _("已转交")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="receptions", verbose_name=_("进站记录"))
    visitor_name = models.CharField(_("群众姓名"), max_length=30)
    visitor_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    village = models.ForeignKey(
        "divisions.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("村（社区）"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("类别")
    )
    content = models.TextField(_("反映问题"))
    handling = models.CharField(_("处理方式"), max_length=10, choices=Handling.choices, default=Handling.ANSWERED)
    feedback = models.TextField(_("答复和反馈"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接待群众")
        verbose_name_plural = _("接待群众")
        ordering = ["id"]
        indexes = [models.Index(fields=["handling"])]

    def __str__(self):
        return f"{self.visitor_name}：{self.content[:20]}"

    @property
    def masked_phone(self):
        return mask_phone(self.visitor_phone)

    def _sees_in_full(self, user):
        return _role(user) in (Role.ADMIN, Role.STAFF) or (
            user is not None and user.is_authenticated and self.visit.recorded_by_id == user.pk
        )

    def name_for(self, user):
        """The visitor's name for staff and the deputy who met them; masked (王*) for station
        managers and other deputies (`core.privacy.mask_name`)."""
        return self.visitor_name if self._sees_in_full(user) else mask_name(self.visitor_name)

    def phone_for(self, user):
        """The full number for staff and the deputy who recorded it, masked for everyone else.
        Needs `visit` loaded."""
        if not self.visitor_phone:
            return ""
        if _role(user) in (Role.ADMIN, Role.STAFF) or (
            user is not None and user.is_authenticated and self.visit.recorded_by_id == user.pk
        ):
            note_view(_("接待群众"))
            return self.visitor_phone
        return self.masked_phone


# --- Activities -----------------------------------------------------------------------------


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the activities of their region, of what is under it and of the regions above
        it (a township's staff: the county's and the city's too); a station manager: those they
        published, at their stations, and those of the regions their stations are in; a deputy:
        those of the regions they live and work in (their township and its county and city) and
        at their stations. An activity without a region is the whole deployment's."""
        role = _role(user)
        if role in (Role.ADMIN, Role.STAFF):
            return self.filter(within_or_above(user, "region"))
        if role == Role.STATION_MANAGER:
            townships = Station.objects.filter(manager=user).values_list("township_id", flat=True)
            return self.filter(
                Q(organizer=user) | Q(station__manager=user)
                | Q(station__isnull=True) & (Q(region__isnull=True) | Q(region_id__in=regions_around(townships)))
            )
        if role == Role.DEPUTY:
            deputy = getattr(user, "deputy", None)
            if deputy is None:
                return self.filter(region__isnull=True, station__isnull=True)
            stations = list(StationMembership.objects.filter(deputy=deputy).values_list("station_id", "station__township_id"))
            townships = {deputy.township_id, *(township for _station, township in stations)}
            stations = [station for station, _township in stations]
            return self.filter(
                Q(station_id__in=stations)
                | Q(station__isnull=True) & (Q(region__isnull=True) | Q(region_id__in=regions_around(townships)))
            )
        return self.none()

    def with_counts(self):
        signups = ActivitySignup.objects.filter(activity=models.OuterRef("pk"), cancelled_at__isnull=True)
        return self.annotate(
            signup_count=models.functions.Coalesce(
                models.Subquery(
                    signups.order_by().values("activity").annotate(n=models.Count("pk")).values("n"),
                    output_field=models.IntegerField(),
                ),
                0,
            )
        )

    def for_list(self):
        return self.select_related("station", "region").with_counts()


class Activity(models.Model):
    """活动: research, inspection, training … that deputies sign up for and attend."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("调研")
        INSPECTION = "inspection", _("视察")
        LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
        TRAINING = "training", _("学习培训")
        GROUP = "group", _("代表小组活动")
        REPORT = "report", _("向选民述职")
        FORUM = "forum", _("座谈")
        OBSERVER = "observer", _("列席常委会")
        COURT_HEARING = "court_hearing", _("旁听庭审")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("活动内容"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("站点")
    )
    region = models.ForeignKey(
        "divisions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("范围"), help_text=_("哪个区域的活动（县、乡镇等）；留空表示整个平台"),
    )
    capacity = models.PositiveIntegerField(
        _("名额"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("留空表示不限")
    )
    signup_deadline = models.DateTimeField(_("报名截止"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("发布人")
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_times_ordered"),
            models.CheckConstraint(
                condition=Q(signup_deadline__lte=models.F("starts_at")), name="activity_deadline_before_start"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def township(self):
        """The township of a township's activity (None for a county's or the whole deployment's)."""
        return self.region if self.region is not None and self.region.level == "township" else None

    @property
    def township_id(self):
        return self.region_id if self.township is not None else None

    @property
    def scope_name(self):
        """范围: the region's name, or the deployment's."""
        return scope_region_name(self.region)

    @property
    def signup_open(self):
        return self.status == self.Status.PUBLISHED and timezone.now() <= self.signup_deadline


class ActivitySignup(models.Model):
    """A deputy's sign-up (报名); cancelled sign-ups keep their row, attendance is marked later."""

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("未登记")
        ATTENDED = "attended", _("出席")
        ABSENT = "absent", _("缺席")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("活动"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="activity_signups", verbose_name=_("代表")
    )
    signed_up_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attendance = models.CharField(
        _("出席情况"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="signup_once")]
        # The API list's order.
        indexes = [
            models.Index(fields=["activity", "signed_up_at"], name="signup_list_order_idx"),
            models.Index(fields=["attendance"], name="signup_attendance_idx"),
        ]

    def __str__(self):
        return f"{self.deputy} → {self.activity}"

    @property
    def is_active(self):
        return self.cancelled_at is None


# --- Learning materials ---------------------------------------------------------------------


class LearningMaterialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__lte=timezone.now())

    def visible_to(self, user):
        role = _role(user)
        if role in (Role.ADMIN, Role.STAFF):
            return self
        if role in (Role.DEPUTY, Role.STATION_MANAGER):
            return self.published()
        return self.none()


class LearningMaterial(models.Model):
    """学习资料 staff publish (weekly in practice); a deputy's read is recorded."""

    title = models.CharField(_("标题"), max_length=150)
    body = models.TextField(_("正文"), blank=True)
    attachment = models.FileField(_("附件（PDF）"), upload_to="materials/%Y/", blank=True)
    link = models.URLField(_("链接"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("发布人")
    )

    objects = LearningMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title


class MaterialRead(models.Model):
    material = models.ForeignKey(LearningMaterial, on_delete=models.CASCADE, related_name="reads", verbose_name=_("学习资料"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="material_reads", verbose_name=_("代表")
    )
    read_at = models.DateTimeField(_("阅读时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阅读记录")
        verbose_name_plural = _("阅读记录")
        ordering = ["-read_at"]
        constraints = [models.UniqueConstraint(fields=["material", "deputy"], name="material_read_once")]
        # A material's readers, newest first, a page at a time (its detail page).
        indexes = [models.Index(fields=["material", "-read_at"], name="material_read_list_idx")]
