"""WeChat 公众号 messages to a bound user's openid: template messages (message/template/send)
or subscribe notices (message/subscribe/bizsend), each field filled from the kind's parameters."""

from notifications.providers import (
    ProviderAnswer, ProviderError, required_settings, template_for,
)

# 40003 invalid openid, 40037 invalid template_id, 43004 the user does not follow the 公众号,
# 43101 the user refused the subscribe notice, 47003 a template field is invalid.
PERMANENT = {40003, 40036, 40037, 43004, 43101, 47003, 48001}


class WeChatProvider:
    name = "wechat"
    needs_template = True

    def __init__(self):
        required_settings("WECHAT_APP_ID", "WECHAT_APP_SECRET")

    def send(self, message):
        import requests
        from wechatpy.exceptions import WeChatClientException

        from notifications import wechat
        from notifications.models import MessageTemplate

        template = template_for(message.kind, self.name)
        data = {name: {"value": value} for name, value in template.values(message.text_values)}
        client = wechat.client()
        try:
            if template.wechat_mode == MessageTemplate.WechatMode.SUBSCRIBE:
                result = client.message.send_subscribe_message(
                    message.address, template.template_id, data, page=message.url or None
                )
            else:
                result = client.message.send_template(
                    message.address, template.template_id, data, url=message.url or None
                )
        except WeChatClientException as exc:
            code = exc.errcode
            if code is None:  # an HTTP error from WeChat's side
                raise ProviderError("HTTP", str(exc)[:500], retry=True) from exc
            raise ProviderError(str(code), exc.errmsg or "", retry=code not in PERMANENT) from exc
        except requests.RequestException as exc:
            raise ProviderError("NETWORK", str(exc)[:500], retry=True) from exc
        if not isinstance(result, dict):
            raise ProviderError("BAD_ANSWER", str(result)[:200], retry=True)
        return ProviderAnswer(
            request_id=str(result.get("msgid", "")), code=str(result.get("errcode", 0)),
            message=result.get("errmsg", ""), sent={"template": template.template_id, "data": data},
        )

