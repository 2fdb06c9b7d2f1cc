"""The roster import (issue 19): upload → preview → confirm, matched on the mobile number."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from accounts import tokens

from audit.models import AuditEntry
from deputies.models import Deputy, Seat
from imports.models import ImportBatch
from tests.deputies.conftest import good_row, import_file
from tests.factories import DeputyFactory, DeputyGroupFactory
from tests.imports.conftest import as_upload

API = "/api/v1/deputies/import/"


def api_post(user, upload, dry_run=False):
    from django.test import Client

    token = tokens.issue(user)[0]
    url = API + ("?dry_run=true" if dry_run else "")
    return Client().post(url, {"file": upload}, HTTP_AUTHORIZATION=f"Token {token}")


def exported(client):
    response = client.get("/deputies/export.xlsx")
    assert response.status_code == 200
    return response


# --- The contracts ------------------------------------------------------------------------------


def test_the_export_imported_unchanged_creates_and_updates_nothing(staff, login, township, other_township):
    group = DeputyGroupFactory(name="城关镇代表小组", township=township)
    DeputyFactory(name="王建国", township=township, group=group, birth_date=date(1970, 5, 1), email="w@example.cn")
    DeputyFactory(name="李四", township=other_township, phone="", occupation="青山村支书")
    ended = DeputyFactory(name="赵六", township=township)
    ended.status = Deputy.Status.TERMINATED
    ended.save()
    Seat.objects.filter(deputy=ended).update(end_reason=Seat.EndReason.RESIGNED, ended_on=date(2026, 3, 1))
    count = Deputy.objects.count()
    client = login(staff)
    body = api_post(staff, as_upload(exported(client)), dry_run=True).json()
    assert body == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}
    response = api_post(staff, as_upload(exported(client)))
    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}
    assert Deputy.objects.count() == count


def test_a_bad_mobile_number_in_row_3_is_refused_naming_row_and_column(staff, township):
    upload = import_file([good_row("王建国", "13912340001"), good_row("李四", "12345678901")])
    response = api_post(staff, upload)
    assert response.status_code == 400
    body = response.json()
    assert body["created"] == 1 and body["updated"] == 0
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "手机号")]
    assert body["errors"][0]["message"]
    assert not Deputy.objects.exists()
    assert not ImportBatch.objects.exists()


def test_dry_run_writes_nothing(staff, township):
    body = api_post(staff, import_file([good_row()]), dry_run=True).json()
    assert body == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}
    assert not Deputy.objects.exists()


def test_the_api_without_dry_run_writes_one_batch(staff, township):
    response = api_post(staff, import_file([good_row("王建国", "13912340001"), good_row("陈丽华", "13912340002")]))
    assert response.status_code == 200
    assert response.json()["created"] == 2
    assert Deputy.objects.filter(user__isnull=False).count() == 2
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created, batch.uploaded_by) == ("applied", 2, staff)


def test_the_api_needs_a_file_and_the_right_role(staff, deputy_user, township):
    from django.test import Client

    token = tokens.issue(staff)[0]
    response = Client().post(API, {}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "file"
    assert api_post(deputy_user, import_file([good_row()])).status_code == 403
    assert Client().post(API, {"file": import_file([good_row()])}).status_code == 401


def test_a_text_file_is_a_400_with_a_message(staff, township):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_post(staff, SimpleUploadedFile("a.xlsx", b"hello"))
    assert response.status_code == 400
    assert "xlsx" in response.json()["errors"][0]["message"]


# --- Matching and updating ---------------------------------------------------------------------


def test_a_changed_row_updates_the_deputy_found_by_mobile(staff, login, township):
    deputy = DeputyFactory(name="王建国", township=township, phone="13912340001", occupation="旧单位")
    row = good_row("王建国", "13912340001")
    body = api_post(staff, import_file([row]), dry_run=True).json()
    assert (body["created"], body["updated"]) == (0, 1)
    api_post(staff, import_file([row]))
    deputy.refresh_from_db()
    assert deputy.occupation == "县一中教师"
    assert deputy.birth_date == date(1970, 5, 1)
    assert Deputy.objects.count() == 1


def test_the_preview_page_shows_old_and_new_and_writes_only_on_confirm(staff, login, township):
    deputy = DeputyFactory(name="王建国", township=township, phone="13912340001", occupation="旧单位")
    client = login(staff)
    rows = [good_row("王建国", "13912340001"), good_row("陈丽华", "13912340002")]
    response = client.post("/deputies/import/", {"file": import_file(rows)})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "工作单位及职务：旧单位 → 县一中教师" in html
    assert "新增" in html and "更新" in html
    deputy.refresh_from_db()
    assert deputy.occupation == "旧单位"
    assert Deputy.objects.count() == 1
    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    deputy.refresh_from_db()
    assert deputy.occupation == "县一中教师"
    assert Deputy.objects.count() == 2
    entry = AuditEntry.objects.filter(action="import").get()
    assert entry.actor == staff and "新增1" in entry.object_repr and "更新1" in entry.object_repr


def test_a_bad_row_is_shown_with_the_others_and_nothing_can_be_confirmed(staff, login, township):
    client = login(staff)
    response = client.post("/deputies/import/", {"file": import_file([good_row(), good_row("李四", "139")])})
    assert response.status_code == 400
    html = response.content.decode()
    assert "第3行“手机号”" in html and "未导入任何数据" in html
    assert "新增" in html and "错误" in html
    assert 'id="confirm-import"' not in html
    assert not ImportBatch.objects.exists()
    assert not Deputy.objects.exists()


def test_a_row_that_went_wrong_since_the_preview_refuses_the_whole_batch(staff, login, township):
    group = DeputyGroupFactory(name="城关镇代表小组", township=township)
    row = good_row("陈丽华", "13912340002")
    row[9] = group.name
    client = login(staff)
    response = client.post("/deputies/import/", {"file": import_file([good_row(), row])})
    assert response.status_code == 302
    group.delete()
    refused = client.post(response["Location"])
    assert refused.status_code == 400
    assert "第3行“代表小组”" in refused.content.decode()
    assert not Deputy.objects.exists()
    assert ImportBatch.objects.get().status == "pending"


def test_leaving_is_a_status_with_a_reason_and_a_date(staff, township):
    deputy = DeputyFactory(name="王建国", township=township, phone="13912340001")
    row = good_row("王建国", "13912340001") + ["终止", "辞职", "2026-10-01"]
    headers = _headers_with_leaving()
    response = api_post(staff, import_file([row], headers=headers))
    assert response.json()["updated"] == 1
    deputy.refresh_from_db()
    assert deputy.status == Deputy.Status.TERMINATED
    seat = deputy.seats.get()
    assert (seat.status, seat.end_reason, seat.ended_on) == ("ended", "resigned", date(2026, 10, 1))


def test_leaving_needs_a_reason_and_a_date_not_in_the_future(staff, township):
    DeputyFactory(name="王建国", township=township, phone="13912340001")
    rows = [good_row("王建国", "13912340001") + ["终止", "", ""],
            good_row("陈丽华", "13912340002") + ["", "调离", "2099-01-01"]]
    body = api_post(staff, import_file(rows, headers=_headers_with_leaving()), dry_run=True).json()
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "离任原因"), (2, "离任日期"), (3, "离任日期")}


def _headers_with_leaving():
    from deputies.spreadsheets import COLUMNS

    return [c.header + ("*" if c.required else "") for c in COLUMNS]


# --- Validation -----------------------------------------------------------------------------------


@pytest.mark.calendar
def test_birth_dates_in_the_future_or_under_18_are_refused(staff, township, today):
    future = good_row("甲", "13912340001")
    future[3] = (today + timedelta(days=366)).isoformat()
    young = good_row("乙", "13912340002")
    young[3] = date(today.year - 17, 1, 1).isoformat()
    adult = good_row("丙", "13912340003")
    # Eighteen today (born on 29 February: eighteen on the 28th of a common year).
    adult[3] = date(today.year - 18, today.month, min(today.day, 28 if today.month == 2 else today.day)).isoformat()
    body = api_post(staff, import_file([future, young, adult]), dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "出生日期"), (3, "出生日期")]
    assert body["created"] == 1


def test_one_row_per_id_number_in_a_file(staff, township):
    from deputies.spreadsheets import IMPORT_COLUMNS

    headers = [str(c.header) for c in IMPORT_COLUMNS]
    rows = [good_row("甲", "13912340001") + ["", "", "", "110105197005010035"],
            good_row("甲", "13912340002") + ["", "", "", "110105197005010035"]]
    body = api_post(staff, import_file(rows, headers=headers), dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "身份证号")]


def test_one_row_per_mobile_number_in_a_file(staff, township):
    body = api_post(staff, import_file([good_row("王建国", "13912340001"), good_row("王建", "13912340001")]),
                    dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "手机号")]
    assert "第2行" in body["errors"][0]["message"]


def test_a_group_of_another_township_is_refused(staff, township, other_township):
    DeputyGroupFactory(name="青山镇代表小组", township=other_township)
    DeputyGroupFactory(name="农业农村专业代表小组", township=None)
    elsewhere = good_row("甲", "13912340001")
    elsewhere[9] = "青山镇代表小组"
    county_wide = good_row("乙", "13912340002")
    county_wide[9] = "农业农村专业代表小组"
    unknown = good_row("丙", "13912340003")
    unknown[9] = "没有这个组"
    body = api_post(staff, import_file([elsewhere, county_wide, unknown]), dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "代表小组"), (4, "代表小组")]


def test_a_level_of_another_region_is_refused(staff, township):
    from divisions.models import Region

    Region(name="连心市", level="city", kind="city").save()  # a root: placed by Region.save
    Region(name="邻县", level="county", kind="county").save()  # under the city
    row = good_row()
    row[5] = "市"  # 城关镇 is under the default county, which is not under 连心市
    body = api_post(staff, import_file([row]), dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "代表层级")]
    row[5] = "省"  # deputies of congresses above the deployment are kept as they are
    assert api_post(staff, import_file([row]), dry_run=True).json()["errors"] == []


def test_township_staff_import_only_into_their_township(township_staff, township, other_township):
    DeputyFactory(name="王建国", township=township, phone="13912340009")
    mine = good_row("甲", "13912340001", township="青山镇")
    theirs = good_row("乙", "13912340002", township="城关镇")
    taken = good_row("王建国", "13912340009", township="青山镇")
    body = api_post(township_staff, import_file([mine, theirs, taken]), dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "所在乡镇"), (4, "手机号")]


def test_an_id_number_is_checked_against_the_birth_date(staff, township):
    from deputies.spreadsheets import IMPORT_COLUMNS

    headers = [str(c.header) for c in IMPORT_COLUMNS]
    right = good_row("甲", "13912340001") + ["", "", "", "110105197005010035"]
    wrong = good_row("乙", "13912340002") + ["", "", "", "110105197005010031"]
    body = api_post(staff, import_file([right, wrong], headers=headers), dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "身份证号")]


ID_A, ID_B = "110105197005010035", "320583197005010211"


def with_id(row, id_number):
    return row + ["", "", "", id_number]


def id_headers():
    from deputies.spreadsheets import IMPORT_COLUMNS

    return [str(c.header) for c in IMPORT_COLUMNS]


def test_an_id_number_is_kept_only_as_a_digest_and_its_last_four(staff, township):
    body = api_post(staff, import_file([with_id(good_row("甲", "13912340001"), ID_A)], headers=id_headers())).json()
    assert body["created"] == 1
    deputy = Deputy.objects.get()
    assert deputy.id_number_tail == "0035" and deputy.masked_id_number == "**************0035"
    assert len(deputy.id_number_digest) == 64 and ID_A not in deputy.id_number_digest
    assert deputy.id_number_digest == Deputy.id_number_digest_of(ID_A.lower())
    stored = [str(v) for v in Deputy.objects.values_list(*[f.attname for f in Deputy._meta.concrete_fields]).get()]
    assert not any(ID_A in value for value in stored)
    assert not any(ID_A in str(batch.rows) + str(batch.undo) for batch in ImportBatch.objects.all())


def test_a_row_is_matched_on_its_id_number_before_its_mobile(staff, login, township):
    api_post(staff, import_file([with_id(good_row("甲", "13912340001"), ID_A)], headers=id_headers()))
    deputy = Deputy.objects.get()
    # The deputy changed numbers: the 身份证号 finds them, the new number is an update.
    moved = with_id(good_row("甲", "13912349999"), ID_A)
    body = api_post(staff, import_file([moved], headers=id_headers()), dry_run=True).json()
    assert (body["created"], body["updated"], body["errors"]) == (0, 1, [])
    api_post(staff, import_file([moved], headers=id_headers()))
    deputy.refresh_from_db()
    assert deputy.phone == "13912349999" and Deputy.objects.count() == 1
    # The export has no 身份证号 (it is not kept): imported back, nothing changes and the digest stays.
    body = api_post(staff, as_upload(exported(login(staff))), dry_run=True).json()
    assert (body["created"], body["updated"], body["errors"]) == (0, 0, [])
    api_post(staff, as_upload(exported(login(staff))))
    deputy.refresh_from_db()
    assert deputy.id_number_digest == Deputy.id_number_digest_of(ID_A)


def test_an_id_number_and_a_mobile_of_two_different_deputies_are_refused(staff, township):
    api_post(staff, import_file([with_id(good_row("甲", "13912340001"), ID_A)], headers=id_headers()))
    DeputyFactory(name="乙", township=township, phone="13912340002")
    body = api_post(staff, import_file([with_id(good_row("乙", "13912340002"), ID_A)], headers=id_headers()),
                    dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "身份证号")]
    assert "甲" in body["errors"][0]["message"] and "乙" in body["errors"][0]["message"]


def test_another_id_number_for_a_deputy_who_has_one_is_refused(staff, township):
    api_post(staff, import_file([with_id(good_row("甲", "13912340001"), ID_A)], headers=id_headers()))
    body = api_post(staff, import_file([with_id(good_row("甲", "13912340001"), ID_B)], headers=id_headers()),
                    dry_run=True).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "身份证号")]
    assert "0035" in body["errors"][0]["message"]


def test_adding_an_id_number_is_shown_masked_and_undone_with_the_batch(staff, login, township):
    deputy = DeputyFactory(name="甲", township=township, phone="13912340001")
    client = login(staff)
    response = client.post("/deputies/import/", {"file": import_file([with_id(good_row("甲", "13912340001"), ID_A)],
                                                                      headers=id_headers())})
    preview = client.get(response["Location"]).content.decode()
    assert "**************0035" in preview and ID_A not in preview
    client.post(response["Location"])
    deputy.refresh_from_db()
    assert deputy.id_number_tail == "0035"
    client.post(f"/imports/batches/{ImportBatch.objects.get().pk}/undo/")
    deputy.refresh_from_db()
    assert (deputy.id_number_digest, deputy.id_number_tail) == ("", "")


# --- Undo ---------------------------------------------------------------------------------------


def test_the_last_batch_can_be_undone(staff, login, township):
    deputy = DeputyFactory(name="王建国", township=township, phone="13912340001", occupation="旧单位")
    client = login(staff)
    response = client.post("/deputies/import/", {"file": import_file([good_row("王建国", "13912340001"),
                                                                        good_row("陈丽华", "13912340002")])})
    client.post(response["Location"])
    batch = ImportBatch.objects.get()
    page = client.get("/deputies/import/").content.decode()
    assert "撤销本批" in page
    assert client.post(f"/imports/batches/{batch.pk}/undo/").status_code == 302
    deputy.refresh_from_db()
    assert deputy.occupation == "旧单位" and deputy.birth_date is None
    assert list(Deputy.objects.values_list("name", flat=True)) == ["王建国"]
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="13912340002").exists()
    batch.refresh_from_db()
    assert batch.status == "undone" and batch.undone_by == staff
    assert batch.rows == [] and batch.undo == []  # no personal data kept beyond its use
    assert AuditEntry.objects.filter(action="import", object_repr__startswith="撤销").exists()


def test_undoing_a_leaving_restores_the_seat(staff, township):
    deputy = DeputyFactory(name="王建国", township=township, phone="13912340001")
    api_post(staff, import_file([good_row("王建国", "13912340001") + ["终止", "调离", "2026-10-01"]],
                                headers=_headers_with_leaving()))
    from imports import engine

    engine.undo(ImportBatch.objects.get(), by=staff)
    deputy.refresh_from_db()
    assert deputy.status == Deputy.Status.ACTIVE
    seat = deputy.seats.get()
    assert (seat.status, seat.end_reason, seat.ended_on) == ("active", "", None)


def test_only_the_newest_batch_can_be_undone(staff, township):
    from imports import engine

    api_post(staff, import_file([good_row("王建国", "13912340001")]))
    api_post(staff, import_file([good_row("陈丽华", "13912340002")]))
    first, second = ImportBatch.objects.order_by("pk")
    with pytest.raises(engine.UndoRefused):
        engine.undo(first, by=staff)
    engine.undo(second, by=staff)
    assert list(Deputy.objects.values_list("name", flat=True)) == ["王建国"]


def test_another_staff_members_batch_is_not_found(staff, township_staff, login, township):
    client = login(staff)
    response = client.post("/deputies/import/", {"file": import_file([good_row()])})
    assert login(township_staff).get(response["Location"]).status_code == 404


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 60])
def test_the_preview_runs_a_constant_number_of_queries(count, staff, login, township, django_assert_max_num_queries):
    for i in range(count):
        DeputyFactory(township=township, phone=f"1391234{i:04d}")
    rows = [good_row(f"代表{i}", f"1391234{i:04d}") for i in range(count)]
    client = login(staff)
    response = client.post("/deputies/import/", {"file": import_file(rows)})
    with django_assert_max_num_queries(14):
        page = client.get(response["Location"])
    assert page.status_code == 200


def test_the_template_has_the_leaving_columns(staff, login):
    response = login(staff).get("/deputies/import/template.xlsx")
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert {"状态", "离任原因", "离任日期", "身份证号"} <= set(headers)
