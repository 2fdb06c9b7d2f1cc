"""A loopback HTTP server that answers like Aliyun's Dysmsapi, Tencent Cloud's SMS API and
WeChat's API, for the real SDKs to talk to. Each test sets `answer` (what the next requests get)
and reads `requests` (what the SDK sent)."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body.decode())

    def one(self, name):
        return self.query[name][0]


@dataclass
class StandIn:
    """`answer(seen)` returns (status, dict) or sleeps for a timeout."""

    requests: list = field(default_factory=list)
    answer: object = None
    server: object = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def sent(self, path_prefix=""):
        return [r for r in self.requests if r.path.startswith(path_prefix)]


def start():
    standin = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            parsed = urlparse(self.path)
            seen = Seen(self.command, parsed.path, parse_qs(parsed.query), dict(self.headers),
                        self.rfile.read(length) if length else b"")
            standin.requests.append(seen)
            status, payload = standin.answer(seen)
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")  # Tencent's SDK wants exactly this
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    standin.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return standin


def slow(seconds, then):
    """An answer that arrives after the client's timeout."""

    def answer(seen):
        time.sleep(seconds)
        return then(seen)

    return answer


# --- The providers' answers (shapes checked against the SDKs: see RECIPES.md) -------------------


def aliyun_ok(seen):
    return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "ALI-REQ-1"}


def aliyun_template_error(seen):
    return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法(不存在或被拉黑)", "RequestId": "ALI-REQ-2"}


def aliyun_throttled(seen):
    return 400, {"Code": "Throttling.User", "Message": "Request was denied due to user flow control.",
                 "RequestId": "ALI-REQ-3"}


def tencent_ok(seen):
    return 200, {"Response": {"SendStatusSet": [{
        "SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8613912345678", "Fee": 1,
        "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"}],
        "RequestId": "TC-REQ-1"}}


def tencent_template_error(seen):
    return 200, {"Response": {"SendStatusSet": [{
        "SerialNo": "", "PhoneNumber": "+8613912345678", "Fee": 0, "SessionContext": "",
        "Code": "FailedOperation.TemplateIncorrectOrUnapproved", "Message": "template is not approved",
        "IsoCode": "CN"}], "RequestId": "TC-REQ-2"}}


def tencent_throttled(seen):
    return 200, {"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "请求的次数超过了频率限制。"},
                              "RequestId": "TC-REQ-3"}}


def wechat(send=None, openid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M"):
    """WeChat: the access token, the OAuth code exchange, and the message APIs (`send`)."""

    def answer(seen):
        if seen.path.endswith("/cgi-bin/token"):
            return 200, {"access_token": "ACCESS-TOKEN-1", "expires_in": 7200}
        if seen.path.endswith("/sns/oauth2/access_token"):
            if seen.one("code") == "bad-code":
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            return 200, {"access_token": "OAUTH-TOKEN", "expires_in": 7200, "refresh_token": "R",
                         "openid": openid, "scope": "snsapi_base"}
        return 200, (send or (lambda s: {"errcode": 0, "errmsg": "ok", "msgid": 200228332}))(seen)

    return answer
