from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    STAFF = "staff", _("人大工作人员")
    DEPUTY = "deputy", _("人大代表")
    STATION_MANAGER = "station_manager", _("站点管理员")
    UNIT = "unit", _("承办单位")


class User(AbstractUser):
    """A person who signs in. The public never has an account.

    `role` says what the person does here; staff may be limited to one region (a county, a
    township: that region and everything under it), a unit user belongs to one handling unit.
    A deputy's account is linked from `deputies.Deputy.user`."""

    Role = Role

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.DEPUTY)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    region = models.ForeignKey(
        "divisions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属区域"),
        help_text=_("工作人员只能看到该区域（及其下级区域）的数据；留空表示整个平台。"),
    )
    handling_unit = models.ForeignKey(
        "divisions.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("承办单位"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.name or self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        # What was stored, to notice a password change or a deactivation on save.
        user._stored = {name: getattr(user, name) for name in ("password", "is_active") if name in field_names}
        return user

    def save(self, *args, **kwargs):
        # `createsuperuser` makes an admin; only admins use Django's admin site (configuration).
        if self._state.adding and self.is_superuser:
            self.role = Role.ADMIN
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        stored = getattr(self, "_stored", {})
        adding = self._state.adding
        password_changed = ("password" in stored and stored["password"] != self.password) or (
            adding and self.has_usable_password()
        )
        deactivated = stored.get("is_active") is True and not self.is_active
        super().save(*args, **kwargs)
        self._stored = {"password": self.password, "is_active": self.is_active}
        if password_changed and self.has_usable_password():
            PasswordHistory.record(self)
        if (password_changed and not adding) or deactivated:
            # A password change or a deactivation signs the user out of the API everywhere.
            from accounts.tokens import revoke_all

            revoke_all(self)

    def clean(self):
        super().clean()
        if self.role == Role.UNIT and not self.handling_unit_id:
            raise ValidationError({"handling_unit": _("承办单位账号必须选择所属单位。")})

    @property
    def display_name(self):
        return self.name or self.username

    @property
    def scope_region_id(self):
        """The region a staff member is limited to (with everything under it), or None for the
        whole deployment. Lists filter by it through `divisions.scope`."""
        return self.region_id if self.role == Role.STAFF else None


class PasswordHistory(models.Model):
    """The hashes of a user's passwords and when each was set: no reuse of the last
    PASSWORD_HISTORY_COUNT (accounts.validators), and the age the PASSWORD_MAX_AGE_DAYS rule
    measures (accounts.policy). Written by User.save whenever the password changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    KEEP = 10

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_idx")]

    @classmethod
    def record(cls, user):
        cls.objects.create(user=user, password=user.password)
        stale = cls.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)[cls.KEEP:]
        cls.objects.filter(pk__in=list(stale)).delete()
