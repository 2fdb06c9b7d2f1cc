"""Where things are and who governs them: the region tree (市 · 县区 · 乡镇街道), the congress of
each region that holds one, villages under townships and the handling units of each congress.

A deployment is one tree. A county alone is a tree of one county and its townships (the default);
a city is a city, its counties and districts, and their townships. Every region-owned record
reaches a region through a township (deputies, stations and what happens at them) or through a
congress (sessions, suggestions, votes, units); `divisions.scope` turns a user's region into the
filter every list uses."""

from dataclasses import dataclass, fields
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class Level(models.TextChoices):
    """A region's level in the administrative hierarchy (行政区划层级)."""

    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWNSHIP = "township", _("乡镇（街道）")


# What a region of each level is called, by kind.
class Kind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    DISTRICT = "district", _("区")
    COUNTY_CITY = "county_city", _("县级市")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    SUBDISTRICT = "subdistrict", _("街道")


KINDS_OF_LEVEL = {
    Level.CITY: {Kind.CITY},
    Level.COUNTY: {Kind.COUNTY, Kind.DISTRICT, Kind.COUNTY_CITY},
    Level.TOWNSHIP: {Kind.TOWN, Kind.TOWNSHIP, Kind.SUBDISTRICT},
}
# The level a new region is placed under when no parent is given.
PARENT_LEVEL = {Level.TOWNSHIP: Level.COUNTY, Level.COUNTY: Level.CITY}


class RegionQuerySet(MP_NodeQuerySet):
    def townships(self):
        return self.filter(level=Level.TOWNSHIP)

    def under(self, region, *, include_self=True):
        """This region and everything under it: one indexed `path LIKE 'p%'`."""
        queryset = self.filter(path__startswith=region.path)
        return queryset if include_self else queryset.exclude(pk=region.pk)


class RegionManager(MP_NodeManager.from_queryset(RegionQuerySet)):
    def default_county(self):
        """The county a township created without a parent goes under: the first county of the
        tree, made (named COUNTY_NAME) when the tree has none yet. A county deployment has one."""
        county = self.model.objects.filter(level=Level.COUNTY).order_by("path").first()
        if county is None:
            county = Region(name=settings.COUNTY_NAME, level=Level.COUNTY, kind=Kind.COUNTY,
                            code=getattr(settings, "COUNTY_CODE", ""))
            county.save()
        return county


class Region(MP_Node):
    """An administrative region (行政区划): the city, a county or district, a township or
    subdistrict. Villages (村/社区) stay under townships (`Village`)."""

    Level = Level
    Kind = Kind

    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.TOWNSHIP)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.TOWN)
    code = models.CharField(
        _("区划代码"), max_length=20, blank=True,
        help_text=_("国家行政区划代码：县级及以上6位，乡镇（街道）9位"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    steplen = 4
    objects = RegionManager()

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="region_code_unique"),
        ]
        indexes = [
            # Townships in their order: lists ordered by township (the deputies' roster) walk
            # this index and fetch each township's rows by its foreign key, so a page reads only
            # the rows it shows (see Deputy.Meta.ordering).
            models.Index(fields=["sort_order", "id"], name="township_order_idx"),
            # "This region and everything under it" is `path LIKE 'p%'`: on PostgreSQL only an
            # index with the pattern operator class serves it (outside the C locale).
            models.Index(fields=["path"], name="region_path_like_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A new region without a place in the tree is placed: a township under the default
        county, a county under the city when there is one (else as a root), a city as a root."""
        if self._state.adding and not self.path:
            parent = self.placement_parent()
            if parent is None:
                return Region.objects.add_root(instance=self)
            return Region.objects.add_child(parent, instance=self)
        return super().save(*args, **kwargs)

    def placement_parent(self):
        parent_level = PARENT_LEVEL.get(self.level)
        if parent_level == Level.COUNTY:
            return Region.objects.default_county()
        if parent_level == Level.CITY:
            return Region.objects.filter(level=Level.CITY).order_by("path").first()
        return None

    # Ancestors by path: `path[:d * steplen]` is the ancestor at depth d.
    def ancestor_paths(self, include_self=True):
        last = self.depth if include_self else self.depth - 1
        return [self.path[: depth * self.steplen] for depth in range(1, last + 1)]

    def ancestors(self, include_self=True):
        return Region.objects.filter(path__in=self.ancestor_paths(include_self)).order_by("depth")

    def contains(self, other):
        """True when `other` is this region or under it."""
        return other is not None and other.path.startswith(self.path)

    @property
    def parent_region(self):
        if self.depth <= 1:
            return None
        return Region.objects.get(path=self.path[: (self.depth - 1) * self.steplen])

    @property
    def full_name(self):
        """The name with its county for townships: 连心县城关镇 (two counties may both have a 城关镇)."""
        return self.name


class TownshipManager(RegionManager):
    def get_queryset(self):
        return super().get_queryset().filter(level=Level.TOWNSHIP)


class Township(Region):
    """乡镇/街道: the regions of the lowest level of the tree. Staff may be limited to one; most
    records (deputies, stations, suggestions by their lead deputy) are tagged with one."""

    objects = TownshipManager()

    class Meta:
        proxy = True
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        ordering = ["sort_order", "id"]

    def save(self, *args, **kwargs):
        self.level = Level.TOWNSHIP
        return super().save(*args, **kwargs)


class Village(models.Model):
    """村/社区."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("乡镇（街道）")
    )
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)

    class Meta:
        verbose_name = _("村（社区）")
        verbose_name_plural = _("村（社区）")
        ordering = ["township__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_unique_in_township")
        ]

    def __str__(self):
        return self.name


# --- Congresses ---------------------------------------------------------------------------------


class ThresholdBasis(models.TextChoices):
    ELIGIBLE = "eligible", _("全体代表")
    CAST = "cast", _("实际投票代表")


class CongressQuerySet(models.QuerySet):
    def under(self, region):
        return self.filter(region__path__startswith=region.path)


class CongressManager(models.Manager.from_queryset(CongressQuerySet)):
    def of(self, region):
        """The congress of `region` (made with today's default rules the first time)."""
        congress, _created = self.get_or_create(region=region, defaults=default_congress_fields(region))
        return congress

    def default(self):
        """The congress of the default county: a county deployment's only county congress."""
        return self.of(Region.objects.default_county())


def default_congress_fields(region):
    return {
        "name": _congress_name(region),
        # 地方组织法 第二十二条: 10 deputies for a 议案 at 县 level and above, 5 at 乡镇.
        "motion_min_deputies": 5 if region.level == Level.TOWNSHIP else default_motion_min_deputies(),
    }


def _congress_name(region):
    return f"{region.name}人民代表大会"


# A new congress's rules start from the deployment's settings (which default to the national
# rules); each congress may then change its own in the admin.
def default_reply_months():
    return settings.SUGGESTION_REPLY_MONTHS


def default_max_months():
    return settings.SUGGESTION_MAX_MONTHS


def default_rehandle_months():
    return settings.SUGGESTION_REHANDLE_MONTHS


def default_motion_min_deputies():
    return settings.SUGGESTION_MOTION_MIN_DEPUTIES


def default_threshold_ratio():
    return Decimal(settings.VOTES_THRESHOLD_RATIO)


def default_min_extra_candidates():
    return settings.VOTES_MIN_EXTRA_CANDIDATES


def default_min_candidate_ratio():
    return Decimal(settings.VOTES_MIN_CANDIDATE_RATIO)


class Congress(models.Model):
    """人民代表大会 of a region (市, 县/区, 乡镇; 街道 have none): its sessions, suggestion
    numbering, handling units, votes and figures are its own. The rules below are per congress,
    with the national defaults; read them through `rules_for(congress)`."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="congress", verbose_name=_("行政区域")
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("例如：连心县人民代表大会"))
    standing_body = models.CharField(
        _("常设机构"), max_length=60, blank=True,
        help_text=_("例如：连心县人大常委会、青山镇人大主席团；留空按层级生成"),
    )
    current_term = models.PositiveSmallIntegerField(_("本届届次"), default=18, validators=[MinValueValidator(1)])
    reply_months = models.PositiveSmallIntegerField(
        _("建议答复期限（月）"), default=default_reply_months, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("交办之日起几个月内答复（代表法：三个月）"),
    )
    max_months = models.PositiveSmallIntegerField(
        _("建议最长答复期限（月）"), default=default_max_months, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("延期后最迟几个月内答复（代表法：六个月）"),
    )
    rehandle_months = models.PositiveSmallIntegerField(
        _("不满意重新办理期限（月）"), default=default_rehandle_months, validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    motion_min_deputies = models.PositiveSmallIntegerField(
        _("议案联名人数"), default=default_motion_min_deputies, validators=[MinValueValidator(1)],
        help_text=_("地方组织法第二十二条：县级以上10人，乡镇5人"),
    )
    threshold_basis = models.CharField(
        _("票决过半数的基数"), max_length=10, choices=ThresholdBasis.choices, default=ThresholdBasis.ELIGIBLE,
    )
    threshold_ratio = models.DecimalField(
        _("票决当选票数比例"), max_digits=5, decimal_places=4, default=default_threshold_ratio,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("赞成票须超过基数的该比例，默认 0.5 即“全体代表的过半数”"),
    )
    min_extra_candidates = models.PositiveSmallIntegerField(
        _("票决差额最少多出"), default=default_min_extra_candidates, validators=[MinValueValidator(1)],
        help_text=_("候选项目至少比应选项目多几个"),
    )
    min_candidate_ratio = models.DecimalField(
        _("票决最低差额比例"), max_digits=4, decimal_places=2, default=default_min_candidate_ratio,
        validators=[MinValueValidator(Decimal("1.00"))],
        help_text=_("候选项目数不少于应选项目数的多少倍"),
    )
    min_items_to_rank = models.PositiveSmallIntegerField(
        _("参与排名的最少件数"), default=5, validators=[MinValueValidator(1)],
        help_text=_("件数少于此数的单位、站点、代表不参与比率排名，列在“样本不足”"),
    )
    document_number_prefix = models.CharField(
        _("发文字号"), max_length=30, blank=True, help_text=_("例如：连人常〔2026〕；留空则文件不标文号"),
    )

    objects = CongressManager()

    class Meta:
        verbose_name = _("人民代表大会")
        verbose_name_plural = _("人民代表大会")
        ordering = ["region__path"]

    def __str__(self):
        return self.name

    @property
    def level(self):
        return self.region.level

    @property
    def standing_body_name(self):
        """常委会 of a 县/市, 主席团 of a 乡镇."""
        if self.standing_body:
            return self.standing_body
        suffix = _("人大主席团") if self.region.level == Level.TOWNSHIP else _("人大常委会")
        return f"{self.region.name}{suffix}"


def default_congress_id():
    """Records made without naming their congress belong to the default county's (a county
    deployment's only county congress)."""
    return Congress.objects.default().pk


class OfACongress(models.Model):
    """A record with a `congress` field: saved (or validated) without one, it belongs to the
    default county's congress. Filled in on save rather than as the field's default, so that
    making an instance in memory reads nothing from the database."""

    class Meta:
        abstract = True

    def fill_congress(self):
        if self.congress_id is None:
            self.congress_id = default_congress_id()

    def clean_fields(self, exclude=None):
        self.fill_congress()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.fill_congress()
        super().save(*args, **kwargs)


@dataclass(frozen=True)
class Rules:
    """A congress's rules (per-congress settings with the national defaults): read them through
    `rules_for`, never from settings."""

    reply_months: int
    max_months: int
    rehandle_months: int
    motion_min_deputies: int
    threshold_basis: str
    threshold_ratio: Decimal
    min_extra_candidates: int
    min_candidate_ratio: Decimal
    min_items_to_rank: int
    document_number_prefix: str


RULE_FIELDS = [f.name for f in fields(Rules)]


def rules_for(congress):
    """The rules of `congress` (the default county's when None)."""
    congress = congress or Congress.objects.default()
    return Rules(**{name: getattr(congress, name) for name in RULE_FIELDS})


class HandlingUnit(OfACongress):
    """承办单位: a government department that handles suggestions and referred opinions. A unit
    belongs to one congress's government (县交通运输局 to the county, 市交通运输局 to the city)."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="units", verbose_name=_("所属人大"),
        help_text=_("承办哪一级人大代表建议的政府部门"),
    )
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["name"]

    def __str__(self):
        return self.name
