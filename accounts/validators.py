from django.contrib.auth.password_validation import MinimumLengthValidator as BaseMinimumLength
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(BaseMinimumLength):
    """Django's rule with a message in Chinese (its zh-Hans catalogue lacks this one)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}


class CharacterClassesValidator:
    """等保 level 3: a password mixes at least `min_classes` of the four kinds of character
    (lower-case letters, upper-case letters, digits, other symbols)."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password):
        return sum((
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ))

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号四类中的至少%(count)d类。") % {"count": self.min_classes}


class PasswordHistoryValidator:
    """等保 level 3: none of the user's last `count` passwords again (accounts.PasswordHistory
    keeps their hashes, never the passwords)."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        from accounts.models import PasswordHistory

        hashes = [user.password, *PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk")
                  .values_list("password", flat=True)[: self.count]]
        if any(encoded and check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return _("不能使用最近%(count)d次用过的密码。") % {"count": self.count}
