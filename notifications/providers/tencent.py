"""腾讯云短信 (sms 2021-01-11) through `tencentcloud-sdk-python-sms`: SendSms with the SDK app
id, sign name, template id and the template's parameters as an ordered list of strings."""

from django.conf import settings

from notifications.providers import (
    ProviderAnswer, ProviderError, endpoint, required_settings, template_for,
)

DEFAULT_HOST = "sms.tencentcloudapi.com"
PERMANENT = {
    "FailedOperation.TemplateIncorrectOrUnapproved", "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist", "FailedOperation.ContainSensitiveWord",
    "FailedOperation.PhoneNumberParseFail", "FailedOperation.MissingTemplateToModify",
    "InvalidParameterValue.IncorrectPhoneNumber", "InvalidParameterValue.TemplateParameterFormatError",
    "InvalidParameterValue.TemplateParameterLengthLimit", "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
    "InvalidParameterValue.SdkAppIdNotExist", "InvalidParameterValue.MissingSignatureList",
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail", "UnauthorizedOperation.SerivceSuspendDueToArrears",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
    "UnsupportedOperation.UnsupportedRegion",
}


def e164(number):
    """Tencent wants +86 numbers: 13900000000 → +8613900000000."""
    number = number.strip().replace(" ", "")
    if number.startswith("+"):
        return number
    if number.startswith("00"):
        return "+" + number[2:]
    return "+86" + number


class TencentProvider:
    name = "tencent"
    needs_template = True

    def __init__(self):
        required_settings("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME", "SMS_SDK_APP_ID")

    def client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        protocol, host = endpoint(DEFAULT_HOST)
        http = HttpProfile(protocol=protocol, endpoint=host, reqTimeout=int(settings.SMS_TIMEOUT_SECONDS))
        return sms_client.SmsClient(
            credential.Credential(settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET),
            settings.SMS_REGION,
            ClientProfile(httpProfile=http),
        )

    def send(self, message):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        template = template_for(message.kind, self.name)
        values = [value for _name, value in template.values(message.text_values)]
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [e164(message.address)]
        request.SmsSdkAppId = settings.SMS_SDK_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template.template_id
        request.TemplateParamSet = values
        request.SessionContext = message.key
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or "ERROR"
            raise ProviderError(code, exc.get_message() or "", request_id=exc.get_request_id() or "",
                                retry=code not in PERMANENT) from exc
        except Exception as exc:
            raise ProviderError("NETWORK", str(exc)[:500], retry=True) from exc
        status = (response.SendStatusSet or [None])[0]
        if status is None:
            raise ProviderError("EMPTY", "SendStatusSet is empty", request_id=response.RequestId or "")
        if status.Code != "Ok":
            raise ProviderError(status.Code, status.Message or "", request_id=response.RequestId or "",
                                retry=status.Code not in PERMANENT)
        return ProviderAnswer(
            request_id=response.RequestId or "", code=status.Code, message=f"SerialNo={status.SerialNo}",
            sent={"template": template.template_id, "variables": values},
        )
