from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

validate_mobile = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("请输入11位手机号码，例如 13812345678。"),
    code="invalid_mobile",
)
