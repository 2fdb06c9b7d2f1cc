from django.db import models
from django.utils.translation import gettext_lazy as _


class Township(models.Model):
    """乡镇/街道. Staff may be limited to one township; most lists can be scoped to one."""

    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        SUBDISTRICT = "subdistrict", _("街道")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.TOWN)
    code = models.CharField(_("区划代码"), max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        ordering = ["sort_order", "id"]
        # The townships in their order: lists ordered by township (the deputies' roster) walk
        # this index and fetch each township's rows by its foreign key, so a page reads only
        # the rows it shows (see Deputy.Meta.ordering).
        indexes = [models.Index(fields=["sort_order", "id"], name="township_order_idx")]

    def __str__(self):
        return self.name


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


class HandlingUnit(models.Model):
    """承办单位: a government department that handles suggestions and referred opinions."""

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
