import pytest

from accounts.models import Role
from notifications.models import MessageTemplate
from notifications.providers.log import MemoryProvider
from tests.factories import UserFactory
from tests.notifications import standin as standins

SIGN = "连心县人大"


@pytest.fixture
def standin():
    server = standins.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def empty_memory_outbox():
    MemoryProvider.outbox.clear()


@pytest.fixture
def aliyun(settings, standin):
    settings.SMS_PROVIDER = "aliyun"
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "LTAI-test", "secret-test"
    settings.SMS_SIGN_NAME = SIGN
    settings.SMS_ENDPOINT_URL = standin.url
    settings.SMS_TIMEOUT_SECONDS = 1
    standin.answer = standins.aliyun_ok
    return standin


@pytest.fixture
def tencent(settings, standin):
    settings.SMS_PROVIDER = "tencent"
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "AKID-test", "secret-test"
    settings.SMS_SDK_APP_ID = "1400000001"
    settings.SMS_SIGN_NAME = SIGN
    settings.SMS_ENDPOINT_URL = standin.url
    settings.SMS_TIMEOUT_SECONDS = 1
    standin.answer = standins.tencent_ok
    return standin


@pytest.fixture
def wechat_api(settings, standin):
    from django.core.cache import cache

    cache.clear()
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx1234567890abcdef", "wechat-secret"
    settings.WECHAT_ENDPOINT_URL = standin.url
    settings.SMS_TIMEOUT_SECONDS = 1
    standin.answer = standins.wechat()
    return standin


@pytest.fixture
def template(db):
    def make(kind, provider, variables, template_id=None, **fields):
        return MessageTemplate.objects.create(
            kind=kind, provider=provider, template_id=template_id or f"{provider.upper()}_{kind}",
            variables=[{"name": name, "param": param} for name, param in variables], **fields,
        )

    return make


@pytest.fixture
def person(db):
    """A deputy's account with a mobile number and no e-mail address."""
    return UserFactory(role=Role.DEPUTY, username="wjg", name="王建国", phone="13912345678", email="")
