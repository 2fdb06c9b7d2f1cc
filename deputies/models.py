from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.privacy import mask_phone
from core.validators import validate_mobile
from deputies.pinyin import search_keys


class Level(models.TextChoices):
    """The five levels of people's congresses."""

    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省")
    MUNICIPAL = "municipal", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")


class CongressSession(models.Model):
    """A session (会议) of a people's congress, e.g. 县第十八届人民代表大会第三次会议.
    Suggestions raised during it are numbered by it; livelihood projects are voted at it."""

    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.COUNTY)
    township = models.ForeignKey(
        "divisions.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("乡镇"),
        help_text=_("仅乡镇人大会议填写"),
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
                fields=["level", "township", "term", "number"], name="session_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="session_dates_ordered"
            ),
        ]

    def __str__(self):
        return self.name


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
        """The deputies a user may see in staff lists: the county, or a staff member's township."""
        township_id = getattr(user, "scope_township_id", None)
        return self.filter(township_id=township_id) if township_id else self

    def search(self, term):
        """Name, full pinyin ("zhangsanli") or initials ("zsl")."""
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(Q(name__icontains=term) | Q(search_keys__contains=term.lower()))

    def for_list(self):
        return self.select_related("township", "group")


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
    search_keys = models.CharField(_("拼音检索"), max_length=300, blank=True, editable=False)
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

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_keys = search_keys(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_keys"}
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


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
