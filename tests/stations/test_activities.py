"""活动 sign-ups and attendance; 学习资料 reads."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from notifications.models import Notification
from stations import services
from stations.models import Activity, ActivitySignup, LearningMaterial, MaterialRead
from tests.conftest import require_or_skip
from tests.factories import ActivityFactory, DeputyFactory, UserFactory
from tests.stations.conftest import make_deputy_with_account


def activity_form(**overrides):
    start = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "城乡道路建设专题调研", "kind": "research", "description": "调研农村公路养护",
        "starts_at": start.strftime("%Y-%m-%dT09:00"), "ends_at": start.strftime("%Y-%m-%dT12:00"),
        "place": "县交通运输局", "capacity": "20", "signup_deadline": (start - timedelta(days=2)).strftime("%Y-%m-%dT18:00"),
    }
    data.update(overrides)
    return data


def test_staff_publish_an_activity(staff, login):
    response = login(staff).post("/stations/activities/new/", activity_form())
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.organizer == staff and activity.capacity == 20


def test_bad_activity_times_are_refused(staff, login):
    start = timezone.localtime() + timedelta(days=10)
    response = login(staff).post(
        "/stations/activities/new/",
        activity_form(ends_at=start.strftime("%Y-%m-%dT08:00"), signup_deadline=(start + timedelta(days=1)).strftime("%Y-%m-%dT08:00")),
    )
    html = response.content.decode()
    assert response.status_code == 400 and "结束时间必须晚于开始时间" in html and "报名截止时间不能晚于活动开始时间" in html
    assert not Activity.objects.exists()


def test_manager_publishes_only_for_their_station(manager, login, station, township):
    from tests.factories import StationFactory

    other = StationFactory(township=township)
    response = login(manager).post("/stations/activities/new/", activity_form(station=other.pk))
    assert response.status_code == 400 and not Activity.objects.exists()
    login(manager).post("/stations/activities/new/", activity_form(station=station.pk))
    assert Activity.objects.get().township == township


def test_deputy_signs_up_cancels_and_signs_up_again(deputy_user, login):
    activity = ActivityFactory(capacity=5)
    client = login(deputy_user)
    assert client.post(f"/stations/activities/{activity.pk}/sign-up/").status_code == 302
    assert ActivitySignup.objects.get().is_active
    again = client.post(f"/stations/activities/{activity.pk}/sign-up/")
    assert again.status_code == 409 and "您已经报过名了" in again.content.decode()
    client.post(f"/stations/activities/{activity.pk}/withdraw/")
    assert not ActivitySignup.objects.get().is_active
    client.post(f"/stations/activities/{activity.pk}/sign-up/")
    assert ActivitySignup.objects.get().is_active and ActivitySignup.objects.count() == 1


def test_a_full_activity_refuses_with_a_clear_message(deputy_user, login, township):
    activity = ActivityFactory(capacity=2)
    for name in ("甲代表", "乙代表"):
        services.sign_up(activity, by=make_deputy_with_account(township, name).user)
    response = login(deputy_user).post(f"/stations/activities/{activity.pk}/sign-up/")
    assert response.status_code == 409
    assert "名额已满（共 2 个名额），不能再报名。" in response.content.decode()
    assert ActivitySignup.objects.filter(cancelled_at__isnull=True).count() == 2


def test_deadline_and_cancelled_activities_refuse(deputy_user, login, staff):
    past = ActivityFactory(signup_deadline=timezone.now() - timedelta(hours=1))
    response = login(deputy_user).post(f"/stations/activities/{past.pk}/sign-up/")
    assert response.status_code == 409 and "报名已截止" in response.content.decode()
    cancelled = ActivityFactory()
    services.cancel_activity(cancelled, by=staff)
    assert login(deputy_user).post(f"/stations/activities/{cancelled.pk}/sign-up/").status_code == 409


@pytest.mark.django_db(transaction=True)
def test_two_deputies_racing_for_the_last_place(township):
    if connection.vendor != "postgresql":
        require_or_skip("racing sign-ups need PostgreSQL (set DATABASE_URL)")
    activity = ActivityFactory(capacity=1)
    users = [make_deputy_with_account(township, name).user for name in ("甲", "乙", "丙", "丁")]
    barrier, outcomes = threading.Barrier(len(users)), []

    def attempt(user):
        try:
            barrier.wait()
            services.sign_up(activity, by=user)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1 and outcomes.count("Conflict") == 3
    assert ActivitySignup.objects.count() == 1


def test_organiser_marks_attendance_after_the_start(staff, login, township):
    activity = ActivityFactory(capacity=None)
    came, missed = (make_deputy_with_account(township, n) for n in ("来了", "没来"))
    for deputy in (came, missed):
        services.sign_up(activity, by=deputy.user)
    early = login(staff).post(f"/stations/activities/{activity.pk}/attendance/", {"attended": [came.pk]})
    assert early.status_code == 409 and "活动开始后" in early.content.decode()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), signup_deadline=timezone.now() - timedelta(hours=2)
    )
    login(staff).post(f"/stations/activities/{activity.pk}/attendance/", {"attended": [came.pk]})
    assert dict(ActivitySignup.objects.values_list("deputy__name", "attendance")) == {"来了": "attended", "没来": "absent"}


def test_cancelling_tells_each_signed_up_deputy(staff, township):
    activity = ActivityFactory()
    deputy = make_deputy_with_account(township, "甲")
    services.sign_up(activity, by=deputy.user)
    services.cancel_activity(activity, by=staff, reason="因天气原因")
    note = Notification.objects.get(recipient=deputy.user)
    assert "活动取消" in note.title and note.body == "因天气原因"


def test_deputy_list_shows_sign_up_state(deputy_user, login):
    mine = ActivityFactory(title="我的活动")
    ActivityFactory(title="别的活动")
    services.sign_up(mine, by=deputy_user)
    activities = {a.title: a.signed_up for a in login(deputy_user).get("/stations/activities/").context["activities"]}
    assert activities == {"我的活动": True, "别的活动": False}


@pytest.mark.parametrize("count", [3, 30])
def test_activity_list_runs_a_bounded_number_of_queries(count, deputy_user, login, django_assert_max_num_queries):
    for _ in range(count):
        activity = ActivityFactory()
        ActivitySignup.objects.create(activity=activity, deputy=DeputyFactory())
    client = login(deputy_user)
    with django_assert_max_num_queries(12):
        assert client.get("/stations/activities/").status_code == 200


# --- Learning materials ---------------------------------------------------------------------


def test_reading_a_material_is_recorded_once(deputy_user, staff, login):
    material = LearningMaterial.objects.create(title="代表法学习", body="第一条……", published_by=staff)
    client = login(deputy_user)
    assert client.get("/stations/materials/").context["materials"][0].is_read is False
    client.get(f"/stations/materials/{material.pk}/")
    client.get(f"/stations/materials/{material.pk}/")
    assert MaterialRead.objects.filter(material=material, deputy=deputy_user.deputy).count() == 1
    assert client.get("/stations/materials/").context["materials"][0].is_read is True
    staff_page = login(staff).get(f"/stations/materials/{material.pk}/")
    assert staff_page.context["readers"].paginator.count == 1
    assert not MaterialRead.objects.exclude(deputy=deputy_user.deputy).exists()


def test_scheduled_materials_stay_hidden_from_deputies(deputy_user, login):
    later = LearningMaterial.objects.create(title="下周资料", published_at=timezone.now() + timedelta(days=3))
    assert login(deputy_user).get(f"/stations/materials/{later.pk}/").status_code == 404


def test_staff_publish_a_material_with_a_pdf_and_bad_pdfs_are_refused(staff, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = login(staff).post("/stations/materials/new/", {
        "title": "学习资料", "body": "正文", "published_at": "2026-11-01T09:00",
        "attachment": SimpleUploadedFile("x.pdf", b"not a pdf"),
    })
    assert bad.status_code == 400 and "不是有效的 PDF" in bad.content.decode()
    good = login(staff).post("/stations/materials/new/", {
        "title": "学习资料", "body": "正文", "published_at": "2026-11-01T09:00",
        "attachment": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n"),
    })
    assert good.status_code == 302 and LearningMaterial.objects.get().attachment.name.endswith(".pdf")


def test_units_cannot_see_activities_or_materials(db, login):
    from divisions.models import HandlingUnit

    unit = UserFactory(role=Role.UNIT, handling_unit=HandlingUnit.objects.create(name="县教育局"))
    assert login(unit).get("/stations/activities/").status_code == 403
    assert login(unit).get("/stations/materials/").status_code == 403


def test_township_staff_manage_their_townships_activities_not_county_wide_ones(
    township_staff, staff, other_township, login
):
    county_wide = ActivityFactory(township=None, organizer=staff)
    theirs = ActivityFactory(township=other_township, organizer=staff)
    client = login(township_staff)
    # They see the county-wide activity (their deputies may sign up) but may not change it.
    assert client.get(f"/stations/activities/{county_wide.pk}/").status_code == 200
    assert client.post(f"/stations/activities/{county_wide.pk}/edit/", activity_form(title="改名")).status_code == 403
    assert client.post(f"/stations/activities/{county_wide.pk}/cancel/", {"reason": "测试"}).status_code == 403
    api = client.patch(
        f"/api/v1/activities/{county_wide.pk}/", {"title": "改名"}, content_type="application/json"
    )
    assert api.status_code == 403 and "本乡镇" in api.json()["detail"]
    county_wide.refresh_from_db()
    assert county_wide.title != "改名" and county_wide.status == Activity.Status.PUBLISHED
    # Their own township's activity is theirs to edit.
    assert client.patch(
        f"/api/v1/activities/{theirs.pk}/", {"title": "本乡镇调研"}, content_type="application/json"
    ).status_code == 200
    # County staff may edit the county-wide one.
    assert login(staff).patch(
        f"/api/v1/activities/{county_wide.pk}/", {"title": "全县调研"}, content_type="application/json"
    ).status_code == 200
