import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.privacy import keyed_digest, mask_id_number, mask_phone
from core.validators import validate_mobile
from deputies.pinyin import search_keys
from divisions.models import OfACongress
from divisions.scope import within


class Level(models.TextChoices):
    """The five levels of people's congresses."""

    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省")
    MUNICIPAL = "municipal", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")


# The deputies' level of a congress by its region's level.
LEVEL_OF_REGION = {"city": Level.MUNICIPAL, "county": Level.COUNTY, "township": Level.TOWNSHIP}
REGION_LEVEL_OF = {level: region for region, level in LEVEL_OF_REGION.items()}


def level_of(congress):
    """The deputies' level (市/县/乡镇) of a congress."""
    return LEVEL_OF_REGION[congress.region.level]


class CongressSession(OfACongress):
    """A session (会议) of a people's congress, e.g. 县第十八届人民代表大会第三次会议.
    Suggestions raised during it are numbered by it; livelihood projects are voted at it."""

    congress = models.ForeignKey(
        "divisions.Congress",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("人民代表大会"),
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("第几次会议"))
    name = models.CharField(_("会议名称"), max_length=100)
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"))

    class Meta:
        verbose_name = _("代表大会会议")
        verbose_name_plural = _("代表大会会议")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "term", "number"], name="session_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="session_dates_ordered"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def level(self):
        """The deputies' level of its congress (市/县/乡镇)."""
        return level_of(self.congress)

    @property
    def township(self):
        """The township of a township congress's session, else None."""
        region = self.congress.region
        return region if region.level == "township" else None


class DeputyGroup(models.Model):
    """代表小组: a territorial group or a professional one (专业代表小组)."""

    class Kind(models.TextChoices):
        TERRITORIAL = "territorial", _("地域代表小组")
        PROFESSIONAL = "professional", _("专业代表小组")

    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(
        _("类型"), max_length=20, choices=Kind.choices, default=Kind.TERRITORIAL
    )
    township = models.ForeignKey(
        "divisions.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_groups",
        verbose_name=_("乡镇"),
    )
    leader = models.ForeignKey(
        "Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
        verbose_name=_("组长"),
    )

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class DeputyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Deputy.Status.ACTIVE)

    def visible_to(self, user):
        """The deputies a user may see in staff lists: those of the user's region (a county,
        a township) and everything under it; the whole deployment for admins."""
        return self.filter(within(user, "township"))

    def search(self, term):
        """Name, full pinyin ("zhangsanli") or initials ("zsl")."""
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(Q(name__icontains=term) | Q(search_keys__contains=term.lower()))

    def for_list(self):
        return self.select_related("township", "group")

    def with_seats(self):
        return self.prefetch_related(models.Prefetch("seats", Seat.objects.select_related("congress__region")))


def new_feed_token():
    """A random, unguessable token for a duty calendar feed URL (256 bits)."""
    return secrets.token_urlsafe(32)


class Deputy(models.Model):
    """人大代表. Never deleted: a deputy whose mandate ends is marked 终止."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在任")
        TERMINATED = "terminated", _("终止")

    class Sector(models.TextChoices):
        WORKER = "worker", _("工人")
        FARMER = "farmer", _("农民")
        PROFESSIONAL = "professional", _("专业技术人员")
        OFFICIAL = "official", _("党政领导干部")
        BUSINESS = "business", _("企业负责人")
        MILITARY = "military", _("解放军和武警")
        OTHER = "other", _("其他")

    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("政治面貌"), max_length=30, blank=True)
    level = models.CharField(_("代表层级"), max_length=20, choices=Level.choices)
    term = models.PositiveSmallIntegerField(
        _("届次"), help_text=_("例如第十八届填 18"), validators=[MinValueValidator(1)]
    )
    constituency = models.CharField(_("选区"), max_length=100, blank=True)
    township = models.ForeignKey(
        "divisions.Township",
        on_delete=models.PROTECT,
        related_name="deputies",
        verbose_name=_("所在乡镇"),
    )
    group = models.ForeignKey(
        DeputyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("代表小组"),
    )
    occupation = models.CharField(_("工作单位及职务"), max_length=100, blank=True)
    sector = models.CharField(_("界别"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    phone = models.CharField(
        _("手机号"), max_length=20, blank=True, validators=[validate_mobile]
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="deputies/", blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("登录账号"),
    )
    # The 身份证号 is kept only as a keyed hash (to match a roster sheet's rows to deputies) and
    # its last four characters (for staff to tell two people apart): never in full.
    id_number_digest = models.CharField(_("身份证号摘要"), max_length=64, blank=True, editable=False)
    id_number_tail = models.CharField(_("身份证号后四位"), max_length=4, blank=True, editable=False)
    search_keys = models.CharField(_("拼音检索"), max_length=300, blank=True, editable=False)
    # The random token of the deputy's duty calendar feed URL (stations.calendar): calendar apps
    # cannot sign in. Reset by the deputy or staff (the old URL then answers 404); never logged.
    feed_token = models.CharField(
        _("日历订阅令牌"), max_length=64, unique=True, default=new_feed_token, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        # By township (in the townships' order, one township after another even where two
        # share a sort number), then by pinyin. The planner walks the townships in their order
        # (divisions' township_order_idx) and each township's deputies by its foreign key, and
        # sorts one township at a time: a page of the roster reads only the rows it shows.
        ordering = ["township__sort_order", "township_id", "search_keys", "id"]
        indexes = [
            models.Index(fields=["level", "status"]),
            models.Index(fields=["township", "status"]),
            models.Index(fields=["search_keys"]),
            models.Index(fields=["status"], name="deputy_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"], condition=~models.Q(id_number_digest=""), name="deputy_id_number_once"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_level = instance.__dict__.get("level")
        return instance

    def save(self, *args, **kwargs):
        self.search_keys = search_keys(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_keys"}
        super().save(*args, **kwargs)
        if update_fields is None or {"level", "term", "constituency", "status", "township"} & set(update_fields):
            sync_primary_seat(self, previous_level=getattr(self, "_saved_level", None))
        self._saved_level = self.level

    def congresses(self):
        """The congresses the deputy sits in now (their active seats')."""
        from divisions.models import Congress

        return Congress.objects.filter(seats__deputy=self, seats__status=Seat.Status.ACTIVE).distinct()

    @property
    def home_congress(self):
        """The congress of the deputy's own seat (their level's), where their suggestions go by
        default; for a deputy of a congress outside the deployment (全国, 省), their county's."""
        return congress_for(self.level, self.township) or congress_for(Level.COUNTY, self.township)

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number_tail)

    @staticmethod
    def id_number_digest_of(id_number):
        """The stored digest of a (checked, upper-case) 身份证号."""
        return keyed_digest(id_number.strip().upper())

    def set_id_number(self, id_number):
        """Keep a (checked) 身份证号 as its digest and last four characters; "" forgets it."""
        id_number = (id_number or "").strip().upper()
        self.id_number_digest = self.id_number_digest_of(id_number) if id_number else ""
        self.id_number_tail = id_number[-4:]


def congress_for(level, township):
    """The congress of the deputies of `level` (市/县/乡镇) where `township` is: the township's own,
    its county's or its city's; None for the levels above the deployment (全国, 省) or when the
    tree has no region of that level."""
    from divisions.models import Congress

    region_level = REGION_LEVEL_OF.get(level)
    if region_level is None or township is None:
        return None
    region = township.ancestors().filter(level=region_level).first()
    return Congress.objects.of(region) if region is not None else None


def sync_primary_seat(deputy, *, previous_level=None):
    """Keep the deputy's own seat (the one of their `level`) in step with the roster's columns:
    its congress, term, constituency and status. Other seats (a county deputy's seat in the city
    congress) are kept in the admin or by import."""
    from django.utils import timezone

    seat = (deputy.seats.filter(level=previous_level).first() if previous_level else None) or deputy.seats.filter(
        level=deputy.level).first() or Seat(deputy=deputy)
    ended = deputy.status != Deputy.Status.ACTIVE
    seat.level, seat.term, seat.constituency = deputy.level, deputy.term, deputy.constituency
    seat.congress = congress_for(deputy.level, deputy.township)
    if ended and seat.status == Seat.Status.ACTIVE:
        seat.status, seat.ended_on = Seat.Status.ENDED, timezone.localdate()
        seat.end_reason = seat.end_reason or Seat.EndReason.OTHER
    elif not ended:
        seat.status, seat.ended_on, seat.end_reason = Seat.Status.ACTIVE, None, ""
    seat.save()
    return seat


class SeatQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Seat.Status.ACTIVE)


class Seat(models.Model):
    """A deputy's seat (席位) in one congress and term. A person may sit in two or three
    congresses at once (a county deputy who is also a city deputy): one account and one Deputy,
    one Seat per congress. Ballots and the electorate of a session belong to a seat's congress.

    The deputy's own `level`, `term`, `constituency` and `status` describe their highest seat
    (the roster's columns); `deputies.services.sync_primary_seat` keeps that seat in step."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在任")
        ENDED = "ended", _("终止")

    class EndReason(models.TextChoices):
        TERM_ENDED = "term_ended", _("届满")
        RESIGNED = "resigned", _("辞职")
        RECALLED = "recalled", _("罢免")
        TRANSFERRED = "transferred", _("调离")
        DIED = "died", _("去世")
        OTHER = "other", _("其他")

    deputy = models.ForeignKey("Deputy", on_delete=models.CASCADE, related_name="seats", verbose_name=_("代表"))
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    congress = models.ForeignKey(
        "divisions.Congress", on_delete=models.PROTECT, null=True, blank=True, related_name="seats",
        verbose_name=_("人民代表大会"), help_text=_("本平台以外的全国、省人大代表留空"),
    )
    term = models.PositiveSmallIntegerField(_("届次"), validators=[MinValueValidator(1)])
    constituency = models.CharField(_("选区（选举单位）"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("当选日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=20, choices=EndReason.choices, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表席位")
        verbose_name_plural = _("代表席位")
        ordering = ["deputy_id", "-status", "level"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "congress", "term"], name="seat_once_per_congress_term"),
        ]
        indexes = [models.Index(fields=["congress", "term", "status"], name="seat_electorate_idx")]

    def __str__(self):
        return f"{self.deputy} {self.congress or self.get_level_display()}"

    @classmethod
    def from_db(cls, db, field_names, values):
        seat = super().from_db(db, field_names, values)
        seat._stored_status = seat.status if "status" in field_names else None
        return seat

    def save(self, *args, **kwargs):
        ending = (
            not self._state.adding
            and self.status == self.Status.ENDED
            and getattr(self, "_stored_status", None) == self.Status.ACTIVE
        )
        super().save(*args, **kwargs)
        self._stored_status = self.status
        if ending:
            # The end of a seat (届满, 辞职, 罢免, 调离 ...) signs the deputy out of the API.
            from accounts.tokens import revoke_all

            revoke_all(self.deputy.user if self.deputy.user_id else None)


class SessionAttendance(models.Model):
    """出席代表大会: whether a deputy attended a session, was excused (请假) or absent.

    Performance points (the points app) count attendance and deduct unexcused absence."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        EXCUSED = "excused", _("请假")
        ABSENT = "absent", _("缺席")

    session = models.ForeignKey(
        CongressSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会议")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="session_attendance", verbose_name=_("代表")
    )
    status = models.CharField(_("出席情况"), max_length=10, choices=Status.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("请假事由等"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("大会出席记录")
        verbose_name_plural = _("大会出席记录")
        ordering = ["session", "deputy_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="attendance_once_per_session")
        ]
        indexes = [models.Index(fields=["deputy", "status"])]

    def __str__(self):
        return f"{self.deputy} {self.session}：{self.get_status_display()}"
