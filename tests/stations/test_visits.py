"""进站履职: logging visits with receptions and photos; bad input saves nothing; masked phones;
attendance; the follow-up signal for the opinions flow."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from stations import services
from stations.models import Category, DutyAssignment, Reception, Visit, VisitPhoto
from stations.signals import reception_needs_follow_up
from tests.factories import ReceptionFactory, StationFactory, VillageFactory, VisitFactory
from tests.stations.conftest import make_shift, photo


def visit_data(station, receptions=(), **overrides):
    data = {
        "station": station.pk,
        "date": timezone.localdate().isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "summary": "接待群众",
        "r-TOTAL_FORMS": str(len(receptions)),
        "r-INITIAL_FORMS": "0",
        "r-MIN_NUM_FORMS": "0",
        "r-MAX_NUM_FORMS": "30",
    }
    for index, reception in enumerate(receptions):
        for key, value in reception.items():
            data[f"r-{index}-{key}"] = value
    data.update(overrides)
    return data


def reception(name="李大爷", phone="13812341234", handling="answered", **extra):
    category = Category.objects.get(name="交通出行")
    return {"visitor_name": name, "visitor_phone": phone, "category": category.pk,
            "content": "村口道路坑洼，雨天积水。", "handling": handling, "feedback": "", **extra}


def test_deputy_logs_a_visit_with_two_receptions_and_a_photo(deputy_user, login, station, member, township):
    village = VillageFactory(township=township, name="前进村")
    data = visit_data(station, [reception(village=village.pk), reception("王阿姨", "", handling="follow_up")])
    data["photos"] = [photo("IMG_1.jpg", gps=True)]
    response = login(deputy_user).post("/stations/visits/new/", data)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stations/visits/{visit.pk}/"
    assert visit.deputy == deputy_user.deputy and visit.recorded_by == deputy_user
    assert list(visit.receptions.values_list("visitor_name", "handling")) == [("李大爷", "answered"), ("王阿姨", "follow_up")]
    assert visit.receptions.first().village == village
    stored = VisitPhoto.objects.get(visit=visit)
    assert "IMG_1" not in stored.image.name
    assert not Image.open(stored.image.path).getexif()  # location removed


def test_the_no_javascript_add_button_adds_a_reception_and_saves_nothing(deputy_user, login, station, member):
    data = visit_data(station, [reception()], add_reception="1")
    response = login(deputy_user).post("/stations/visits/new/", data)
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"photos": [SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024))]}, "超过 5 MB"),
        ({"photos": [SimpleUploadedFile("photo.jpg", b"this is a text file, not a photo")]}, "不是有效的图片"),
        ({"start_time": "11:00", "end_time": "09:30"}, "结束时间必须晚于开始时间"),
        ({"date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "不能登记今天以后的进站履职"),
        ({"r-0-visitor_phone": "12345"}, "请输入11位手机号码"),
        ({"r-0-content": ""}, "该字段是必填项"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(deputy_user, login, station, member, bad, message):
    data = visit_data(station, [reception()])
    data.update(bad)
    response = login(deputy_user).post("/stations/visits/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Visit.objects.exists() and not Reception.objects.exists() and not VisitPhoto.objects.exists()


def test_more_than_five_photos_are_refused(deputy_user, login, station, member):
    data = visit_data(station)
    data["photos"] = [photo(f"{i}.jpg") for i in range(6)]
    response = login(deputy_user).post("/stations/visits/new/", data)
    assert response.status_code == 400 and "最多上传 5 张照片" in response.content.decode()
    assert not Visit.objects.exists()


def test_only_deputies_log_visits(staff, manager, login):
    assert login(staff).get("/stations/visits/new/").status_code == 403
    assert login(manager).get("/stations/visits/new/").status_code == 403


def test_own_stations_are_offered_first(deputy_user, login, station, member, township):
    from tests.factories import StationFactory

    StationFactory(name="阿其他站", township=township)
    form = login(deputy_user).get("/stations/visits/new/").context["form"]
    groups = form.fields["station"].choices
    assert str(groups[0][0]) == "我的站点" and groups[0][1] == [(station.pk, station.name)]
    assert form.initial["station"] == station.pk


def test_a_visit_attends_the_deputy_shift_that_day(deputy_user, station, member, deputy):
    shift = make_shift(station, timezone.localdate(), [deputy])
    visit = services.record_visit(
        by=deputy_user, station=station, date=timezone.localdate(),
        start_time=timezone.datetime(2000, 1, 1, 9).time(), end_time=timezone.datetime(2000, 1, 1, 10).time(),
    )
    assignment = DutyAssignment.objects.get(shift=shift)
    assert assignment.attendance == "attended" and assignment.visit == visit


def test_phones_are_masked_except_for_staff_and_the_recorder(deputy_user, staff, manager, login, station, member):
    visit = VisitFactory(station=station, deputy=deputy_user.deputy)
    ReceptionFactory(visit=visit, visitor_phone="13812341234")
    for user, expected, hidden in [
        (deputy_user, "13812341234", None), (staff, "13812341234", None), (manager, "138****1234", "13812341234"),
    ]:
        html = login(user).get(f"/stations/visits/{visit.pk}/").content.decode()
        assert expected in html
        if hidden:
            assert hidden not in html


def test_township_staff_cannot_see_another_townships_visit(township_staff, login, station, deputy_user):
    visit = VisitFactory(station=station, deputy=deputy_user.deputy)
    assert login(township_staff).get(f"/stations/visits/{visit.pk}/").status_code == 404


def test_follow_up_receptions_are_announced_after_commit(deputy_user, station, member, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, reception, **kwargs):
        received.append(reception.visitor_name)

    reception_needs_follow_up.connect(receiver, dispatch_uid="test-follow-up")
    try:
        category = Category.objects.get(name="教育")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            visit = services.record_visit(
                by=deputy_user, station=station, date=timezone.localdate(),
                start_time=timezone.datetime(2000, 1, 1, 9).time(), end_time=timezone.datetime(2000, 1, 1, 10).time(),
                receptions=[
                    {"visitor_name": "甲", "category": category, "content": "学校门口没有红绿灯", "handling": "follow_up"},
                    {"visitor_name": "乙", "category": category, "content": "已当场答复", "handling": "answered"},
                ],
            )
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert received == ["甲"]
        answered = visit.receptions.get(visitor_name="乙")
        with django_capture_on_commit_callbacks(execute=True):
            services.update_reception(answered, by=deputy_user, handling="follow_up", feedback="")
        assert received == ["甲", "乙"]
    finally:
        reception_needs_follow_up.disconnect(dispatch_uid="test-follow-up")


def test_reception_handling_update_page(deputy_user, login, station, member):
    visit = VisitFactory(station=station, deputy=deputy_user.deputy)
    item = ReceptionFactory(visit=visit)
    response = login(deputy_user).post(
        f"/stations/receptions/{item.pk}/handling/", {f"h{item.pk}-handling": "referred", f"h{item.pk}-feedback": "已转交县交通运输局"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.handling, item.feedback) == ("referred", "已转交县交通运输局")


@pytest.mark.parametrize("count", [5, 40])
def test_visit_list_runs_a_bounded_number_of_queries(count, staff, login, station, deputy, django_assert_max_num_queries):
    for _ in range(count):
        ReceptionFactory(visit=VisitFactory(station=station, deputy=deputy))
    client = login(staff)
    with django_assert_max_num_queries(14):
        response = client.get("/stations/visits/")
    assert response.status_code == 200 and len(response.context["visits"]) == min(count, 30)


def test_image_dimensions_are_kept_reasonable(deputy_user, login, station, member):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "blue").save(buffer, "PNG")
    data = visit_data(station)
    data["photos"] = [SimpleUploadedFile("big.png", buffer.getvalue())]
    assert login(deputy_user).post("/stations/visits/new/", data).status_code == 302
    assert max(Image.open(VisitPhoto.objects.get().image.path).size) <= 2560


def test_the_visit_form_lists_own_and_duty_stations_only(deputy_user, login, station, member, other_township):
    """Issue 22, item 10: a deputy logs visits only where they belong or are on duty."""
    StationFactory(township=station.township, name="本镇联络站")
    far = StationFactory(township=other_township, name="外乡联络站")
    client = login(deputy_user)
    html = client.get("/stations/visits/new/").content.decode()
    assert station.name in html and "本镇联络站" not in html and "外乡联络站" not in html
    assert "外乡联络站" not in client.get("/stations/visits/new/?all=1").content.decode()
    assert client.post("/stations/visits/new/", visit_data(far)).status_code == 400
    # On duty there today: offered, accepted, and stays chosen when the form comes back.
    make_shift(far, timezone.localdate(), [deputy_user.deputy])
    assert "外乡联络站" in client.get("/stations/visits/new/").content.decode()
    refused = client.post("/stations/visits/new/", visit_data(far, end_time="08:00"))
    assert refused.status_code == 400 and f'<option value="{far.pk}" selected>' in refused.content.decode()
    assert client.post("/stations/visits/new/", visit_data(far)).status_code == 302
    assert Visit.objects.get().station == far


def test_the_village_lists_hold_the_listed_stations_townships(deputy_user, login, station, member, other_township):
    """A city's every village, twice (the form and the "add" template), is no page for a phone:
    the villages are those of the listed stations' townships; `?all=1` lists every one; any
    village is accepted and stays chosen when the form comes back."""
    VillageFactory(township=station.township, name="前进村")
    far = VillageFactory(township=other_township, name="外乡村")
    client = login(deputy_user)
    html = client.get("/stations/visits/new/").content.decode()
    assert html.count(">前进村</option>") == 2 and "外乡村" not in html
    assert client.get("/stations/visits/new/?all=1").content.decode().count(">外乡村</option>") == 2
    refused = client.post("/stations/visits/new/", visit_data(station, [reception(village=far.pk)], end_time="08:00"))
    assert refused.status_code == 400 and f'<option value="{far.pk}" selected>外乡村</option>' in refused.content.decode()
    assert client.post("/stations/visits/new/", visit_data(station, [reception(village=far.pk)])).status_code == 302
    assert Reception.objects.get().village == far
