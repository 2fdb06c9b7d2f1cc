"""The public side: the form on /s/<code>/ (no JavaScript), success page, tracking, rating, the
public API and its anti-abuse rules."""

import io
import json
import re
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from opinions import services
from opinions.models import TRACKING_ALPHABET, Opinion, OpinionPhoto, State

CONTENT = "村口的路灯坏了两个月，晚上很黑，老人孩子出门不安全，希望尽快修好。"


def form_data(world, **overrides):
    data = {
        "category": world.category.pk,
        "content": CONTENT,
        "name": "王大妈",
        "phone": "13912345678",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def api_body(world, **overrides):
    body = {
        "station": world.station.code,
        "category": "交通出行",
        "content": CONTENT,
        "name": "王大妈",
        "phone": "13912345678",
        "consent": True,
    }
    body.update(overrides)
    return body


def post_api(client, body, **extra):
    return client.post(
        "/api/v1/public/opinions/", data=json.dumps(body), content_type="application/json", **extra
    )


def photo(name="road.jpg", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "gray").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- The page form --------------------------------------------------------------------------


def test_the_station_page_carries_a_plain_html_form(world):
    response = Client().get(world.station.public_path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="/s/{world.station.code}/opinion/#opinion"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "代表将在3个工作日内接单" in html
    assert 'name="website"' in html  # the honeypot, hidden by CSS


def test_submit_from_the_station_page_shows_the_code_then_tracks_it(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get(world.station.public_path)
    token = page.cookies["csrftoken"].value
    data = form_data(world, csrfmiddlewaretoken=token)
    data["photos"] = [photo("a.jpg"), photo("b.jpg")]
    response = client.post(f"/s/{world.station.code}/opinion/", data)
    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/track/{opinion.tracking_code}/submitted/"
    assert opinion.name == "王大妈" and opinion.content == CONTENT and opinion.photos.count() == 2
    success = client.get(response["Location"])
    text = success.content.decode()
    assert opinion.tracking_code in text
    assert "您的意见已提交，代表将在3个工作日内接单" in text
    assert f'href="/track/{opinion.tracking_code}/"' in text
    assert "王大妈" not in text and "13912345678" not in text
    tracking = client.get(f"/track/{opinion.tracking_code}/").content.decode()
    assert "已提交" in tracking and "王大妈" not in tracking and "1391" not in tracking
    assert "代表将在3个工作日内接单。" in tracking  # what happens next, in one sentence


def test_a_bad_submission_shows_the_station_page_again_with_the_text_kept(world):
    response = Client().post(
        f"/s/{world.station.code}/opinion/", form_data(world, content="太短", phone="12345")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "意见内容至少10个字" in html and "请输入11位手机号码" in html
    assert world.station.name in html  # the station page itself, not a bare error
    assert not Opinion.objects.exists()


def test_consent_is_required_when_a_name_or_number_is_given(world):
    response = Client().post(f"/s/{world.station.code}/opinion/", form_data(world, consent=""))
    assert response.status_code == 400
    assert "请勾选同意使用个人信息" in response.content.decode()
    assert not Opinion.objects.exists()
    anonymous = form_data(world, consent="", name="", phone="")
    assert Client().post(f"/s/{world.station.code}/opinion/", anonymous).status_code == 302


def test_more_than_three_photos_or_a_fake_photo_is_refused(world):
    too_many = form_data(world, photos=[photo(f"{i}.jpg") for i in range(4)])
    response = Client().post(f"/s/{world.station.code}/opinion/", too_many)
    assert response.status_code == 400 and "最多上传 3 张照片" in response.content.decode()
    fake = form_data(world, photos=[SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")])
    response = Client().post(f"/s/{world.station.code}/opinion/", fake)
    assert response.status_code == 400 and "不是有效的图片" in response.content.decode()
    assert not Opinion.objects.exists() and not OpinionPhoto.objects.exists()


def test_an_unknown_station_code_is_404(world):
    assert Client().post("/s/nosuchcode/opinion/", form_data(world)).status_code == 404


# --- Abuse ----------------------------------------------------------------------------------


def test_the_honeypot_refuses_and_saves_nothing(world):
    response = Client().post(f"/s/{world.station.code}/opinion/", form_data(world, website="http://spam.example"))
    assert response.status_code == 400 and "请刷新页面后重新填写" in response.content.decode()
    response = post_api(Client(), api_body(world, website="http://spam.example"))
    assert response.status_code == 400 and "请刷新页面" in response.json()["detail"]
    assert not Opinion.objects.exists()


def test_five_submissions_per_hour_per_address(world, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 5
    client = Client()
    for i in range(5):
        body = api_body(world, content=f"{CONTENT}（第{i}次）")
        assert post_api(client, body, REMOTE_ADDR="10.1.1.1").status_code == 201
    refused = post_api(client, api_body(world, content=CONTENT + "再来一次"), REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429 and "每小时最多提交5次" in refused.json()["detail"]
    page = client.post(
        f"/s/{world.station.code}/opinion/", form_data(world, content=CONTENT + "网页"), REMOTE_ADDR="10.1.1.1"
    )
    assert page.status_code == 429 and "每小时最多提交5次" in page.content.decode()
    assert Opinion.objects.count() == 5
    other = post_api(client, api_body(world, content=CONTENT + "别人"), REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 201


def test_the_same_content_from_the_same_address_is_refused_within_a_day(world):
    client = Client()
    assert post_api(client, api_body(world), REMOTE_ADDR="10.2.2.2").status_code == 201
    again = post_api(client, api_body(world, content=CONTENT.replace("，", "， ")), REMOTE_ADDR="10.2.2.2")
    assert again.status_code == 400 and "请勿重复提交" in again.json()["detail"]
    page = client.post(f"/s/{world.station.code}/opinion/", form_data(world), REMOTE_ADDR="10.2.2.2")
    assert page.status_code == 400 and "请勿重复提交" in page.content.decode()
    assert Opinion.objects.count() == 1
    assert post_api(client, api_body(world), REMOTE_ADDR="10.2.2.3").status_code == 201


def test_tracking_lookups_are_limited_per_minute(world, settings):
    settings.PUBLIC_LOOKUPS_PER_MINUTE = 30
    opinion = world.opinion()
    client = Client()
    for _ in range(30):
        assert client.get(f"/track/{opinion.tracking_code}/", REMOTE_ADDR="10.3.3.3").status_code == 200
    refused = client.get(f"/track/{opinion.tracking_code}/", REMOTE_ADDR="10.3.3.3")
    assert refused.status_code == 429 and "查询太频繁" in refused.content.decode()
    api = client.get(f"/api/v1/public/opinions/{opinion.tracking_code}/", REMOTE_ADDR="10.3.3.3")
    assert api.status_code == 429 and "查询太频繁" in api.json()["detail"]


def test_a_hundred_random_codes_find_nothing(world, settings):
    settings.PUBLIC_LOOKUPS_PER_MINUTE = 1000
    world.opinion()
    client = Client()
    unknown_page = client.get("/no-such-page/").content
    for _ in range(100):
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
        response = client.get(f"/track/{code}/")
        assert response.status_code == 404
        assert response.content == unknown_page  # the same 404 as any unknown address
        assert client.get(f"/api/v1/public/opinions/{code}/").status_code == 404


# --- Tracking and rating --------------------------------------------------------------------


def test_track_form_redirects_a_typed_code_and_explains_a_bad_one(world):
    opinion = world.opinion()
    typed = opinion.tracking_code.lower()[:4] + " " + opinion.tracking_code.lower()[4:]
    response = Client().get("/track/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/track/{opinion.tracking_code}/"
    response = Client().get("/track/", {"code": "abc"})
    assert response.status_code == 400 and "查询码应为10位字母和数字" in response.content.decode()
    assert Client().get("/track/").status_code == 200
    response = Client().get("/track/", {"code": "ABCDEFGHJK" if opinion.tracking_code != "ABCDEFGHJK" else "BCDEFGHJKM"})
    html = response.content.decode()
    assert response.status_code == 404 and "查询码不存在" in html and 'href="#id_code"' in html


def test_tracking_shows_the_reply_and_accepts_exactly_one_rating(world):
    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    services.refer(opinion, unit=world.unit, by=world.deputy_user, note="内部说明：请尽快")
    services.accept_referral(opinion, by=world.unit_user)
    page = Client().get(f"/track/{opinion.tracking_code}/").content.decode()
    assert "张三丽代表已接单" in page and "已转交县交通运输局办理" in page and "内部说明" not in page
    assert "请评价办理结果" not in page and "县交通运输局正在办理，办结后答复会显示在这里。" in page
    services.reply_to(opinion, by=world.unit_user, reply="已更换路灯两盏。")
    client = Client()
    page = client.get(f"/track/{opinion.tracking_code}/").content.decode()
    assert "已更换路灯两盏。" in page and "请评价办理结果" in page
    response = client.post(f"/track/{opinion.tracking_code}/rate/", {"rating": "satisfied", "comment": "谢谢"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "感谢您的评价" in page and "请评价办理结果" not in page
    again = client.post(f"/track/{opinion.tracking_code}/rate/", {"rating": "unsatisfied"}, follow=True)
    assert "已经评价过了" in again.content.decode()
    opinion.refresh_from_db()
    assert opinion.rating == "satisfied" and opinion.rating_comment == "谢谢"


def test_each_stage_says_what_happens_next_with_the_configured_deadlines(world, settings):
    settings.OPINION_ADOPT_DAYS, settings.OPINION_REPLY_DAYS = 4, 12
    opinion = world.opinion()

    def next_step():
        page = Client().get(f"/track/{opinion.tracking_code}/").content.decode()
        return re.search(r'id="next-step">([^<]*)<', page).group(1)

    assert next_step() == "代表将在4个工作日内接单。"
    services.adopt(opinion, by=world.deputy_user)
    assert next_step() == "代表正在办理，会在12个工作日内直接答复您，或者转交有关部门办理。"
    services.refer(opinion, unit=world.unit, by=world.deputy_user)
    assert next_step() == "已转交县交通运输局，单位将在12个工作日内答复。"


def test_rating_needs_a_choice(world):
    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    services.answer(opinion, by=world.deputy_user, reply="已答复")
    response = Client().post(f"/track/{opinion.tracking_code}/rate/", {"rating": "great"})
    assert response.status_code == 400 and not Opinion.objects.get(pk=opinion.pk).rated_at
    # A form named otherwise than `form` gets the summary too (issue 23).
    assert 'id="error-summary"' in response.content.decode() and 'href="#id_rating_0"' in response.content.decode()


# --- Public API -----------------------------------------------------------------------------


def test_public_api_creates_and_returns_only_the_code(world):
    response = post_api(Client(), api_body(world))
    assert response.status_code == 201
    assert set(response.json()) == {"tracking_code"}
    opinion = Opinion.objects.get(tracking_code=response.json()["tracking_code"])
    assert opinion.phone == "13912345678" and opinion.state == State.SUBMITTED


def test_public_api_accepts_a_category_id_and_refuses_bad_input_in_chinese(world):
    assert post_api(Client(), api_body(world, category=world.category.pk, content=CONTENT + "1")).status_code == 201
    response = post_api(Client(), api_body(world, station="nosuch", category="外星人", content="短", phone="123"))
    assert response.status_code == 400
    errors = response.json()
    assert "没有找到该站点" in errors["station"][0]
    assert "请选择意见类别" in errors["category"][0]
    assert "至少10个字" in errors["content"][0]
    assert "11位手机号码" in errors["phone"][0]
    response = post_api(Client(), api_body(world, consent=False, content=CONTENT + "2"))
    assert response.status_code == 400 and "同意使用个人信息" in response.json()["consent"][0]
    assert Opinion.objects.count() == 1


def test_public_api_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    assert post_api(client, api_body(world)).status_code == 201


def test_public_api_status_never_shows_name_or_phone(world):
    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    services.answer(opinion, by=world.deputy_user, reply="已联系村委会处理。")
    response = Client().get(f"/api/v1/public/opinions/{opinion.tracking_code}/")
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    # Neither the number nor its masked form (139****5678); a bare "5678" could be part of the
    # random tracking code or a timestamp, so it is not what to look for.
    assert "王大妈" not in text and "13912345678" not in text and "139****" not in text
    assert not re.search(r"1[3-9]\d[*\d]{4}\d{4}", text)
    assert body["status"] == "closed" and body["reply"] == "已联系村委会处理。" and body["can_rate"] is True
    assert [e["text"] for e in body["timeline"]] == ["意见已提交，等待代表接单", "张三丽代表已接单", "代表已答复，办结"]
    rated = Client().post(
        f"/api/v1/public/opinions/{opinion.tracking_code}/rating/",
        data=json.dumps({"rating": "basic"}), content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["rating"] == "basic" and rated.json()["can_rate"] is False
    again = Client().post(
        f"/api/v1/public/opinions/{opinion.tracking_code}/rating/",
        data=json.dumps({"rating": "satisfied"}), content_type="application/json",
    )
    assert again.status_code == 409 and "已经评价过了" in again.json()["detail"]


@pytest.mark.parametrize("code", ["短", "0000000000", "AAAAAAAAAA"])
def test_public_api_unknown_codes_are_404(world, code):
    assert Client().get(f"/api/v1/public/opinions/{code}/").status_code == 404


def test_public_api_takes_photos_as_multipart(world):
    response = Client().post(
        "/api/v1/public/opinions/",
        {"station": world.station.code, "category": "交通出行", "content": CONTENT, "photos": [photo(), photo("b.png")]},
    )
    assert response.status_code == 201
    assert Opinion.objects.get().photos.count() == 2


def test_limits_are_shared_through_redis_when_it_is_configured(world, settings):
    """Two web workers share the submission counter: it lives in Redis, not in a process."""
    import os

    from django.core.cache import caches

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        from tests.conftest import require_or_skip

        require_or_skip("REDIS_URL is not set")
    prefix = f"test-opinions-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    }
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    client = caches["default"]._cache.get_client()
    try:
        for i in range(2):
            assert post_api(Client(), api_body(world, content=f"{CONTENT}{i}"), REMOTE_ADDR="10.9.9.9").status_code == 201
        refused = post_api(Client(), api_body(world, content=CONTENT + "x"), REMOTE_ADDR="10.9.9.9")
        assert refused.status_code == 429
        assert list(client.scan_iter(f"{prefix}:*ratelimit:submit:opinion*"))
    finally:
        for key in client.scan_iter(f"{prefix}:*"):  # only this test's keys, not the whole database
            client.delete(key)
