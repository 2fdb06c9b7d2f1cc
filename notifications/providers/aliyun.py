"""阿里云短信 (Dysmsapi 2017-05-25) through `alibabacloud-dysmsapi20170525`: SendSms with the
sign name, the template code and the template's variables by name (TemplateParam, JSON)."""

import json

from django.conf import settings

from notifications.providers import (
    ProviderAnswer, ProviderError, endpoint, required_settings, template_for,
)

DEFAULT_HOST = "dysmsapi.aliyuncs.com"
# Refusals that no retry can cure: the template, sign or number is wrong. Anything else
# (flow control, the account's balance, a server error, the network) is tried again.
PERMANENT = {
    "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL", "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS", "isv.INVALID_PARAMETERS", "isv.PARAM_LENGTH_LIMIT",
    "isv.TEMPLATE_PARAMS_ILLEGAL", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.SMS_SIGN_ILLEGAL", "isv.INVALID_JSON_PARAM", "isv.PARAM_NOT_SUPPORT_URL",
    "isv.DENY_IP_RANGE", "isv.DOMESTIC_NUMBER_NOT_SUPPORTED", "isv.SMS_CONTENT_ILLEGAL",
}


class AliyunProvider:
    name = "aliyun"
    needs_template = True

    def __init__(self):
        required_settings("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME")

    def client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        protocol, host = endpoint(DEFAULT_HOST)
        return Client(Config(
            access_key_id=settings.SMS_ACCESS_KEY_ID,
            access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
            endpoint=host,
            protocol=protocol,
        ))

    def send(self, message):
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
        from darabonba.runtime import RuntimeOptions

        template = template_for(message.kind, self.name)
        variables = dict(template.values(message.text_values))
        request = models.SendSmsRequest(
            phone_numbers=message.address,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template.template_id,
            template_param=json.dumps(variables, ensure_ascii=False),
            out_id=message.key,
        )
        timeout_ms = int(settings.SMS_TIMEOUT_SECONDS * 1000)
        runtime = RuntimeOptions(read_timeout=timeout_ms, connect_timeout=timeout_ms, autoretry=False)
        try:
            response = self.client().send_sms_with_options(request, runtime)
        except AlibabaCloudException as exc:
            code = exc.code or f"HTTP{exc.status_code}"
            raise ProviderError(code, exc.message or "", request_id=exc.request_id or "",
                                retry=code not in PERMANENT) from exc
        except Exception as exc:  # timeout, refused connection: the SDK's UnretryableException
            raise ProviderError("NETWORK", str(exc)[:500], retry=True) from exc
        body = response.body
        if body.code != "OK":
            raise ProviderError(body.code, body.message or "", request_id=body.request_id or "",
                                retry=body.code not in PERMANENT)
        return ProviderAnswer(
            request_id=body.request_id or "", code=body.code, message=f"BizId={body.biz_id}",
            sent={"template": template.template_id, "variables": variables},
        )
