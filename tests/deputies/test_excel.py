import io

from openpyxl import load_workbook

from audit.models import AuditEntry
from deputies.models import Deputy
from tests.deputies.conftest import good_row, import_file
from tests.factories import DeputyFactory


def test_template_has_the_headers_and_instructions(staff, login):
    response = login(staff).get("/deputies/import/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[:3] == ["姓名*", "性别*", "民族"]
    assert wb.sheetnames[1] == "填写说明"


def test_import_saves_every_row_with_an_account(staff, login, township):
    upload = import_file([good_row("王建国", "13912340001"), good_row("陈丽华", "13912340002")])
    client = login(staff)
    response = client.post("/deputies/import/", {"file": upload})
    assert response.status_code == 302  # to the preview: nothing is written before staff confirm
    assert not Deputy.objects.exists()
    assert client.post(response["Location"]).status_code == 302
    assert set(Deputy.objects.values_list("name", flat=True)) == {"王建国", "陈丽华"}
    assert Deputy.objects.filter(user__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="import").exists()


def test_one_bad_row_reports_its_row_and_column_and_saves_nothing(staff, login, township):
    bad = good_row("李四", "12345")
    bad[5] = "村"  # not a level
    upload = import_file([good_row("王建国", "13912340001"), bad, good_row("", "13912340003", township="不存在镇")])
    response = login(staff).post("/deputies/import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "第3行“代表层级”" in html
    assert "第3行“手机号”" in html
    assert "第4行“姓名”" in html
    assert "第4行“所在乡镇”：没有名为“不存在镇”的乡镇" in html
    assert not Deputy.objects.exists()


def test_duplicate_rows_are_reported(staff, login, township):
    upload = import_file([good_row("王建国", "13912340001"), good_row("王建国", "13912340001")])
    response = login(staff).post("/deputies/import/", {"file": upload})
    assert "第3行“手机号”：与第2行重复" in response.content.decode()
    assert not Deputy.objects.exists()


def test_a_text_file_is_refused(staff, login, township):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(staff).post("/deputies/import/", {"file": SimpleUploadedFile("a.xlsx", b"hello")})
    assert response.status_code == 400
    assert "xlsx" in response.content.decode()


def test_chinese_term_numbers_are_understood(staff, login, township):
    row = good_row()
    row[6] = "第十八届"
    client = login(staff)
    client.post(client.post("/deputies/import/", {"file": import_file([row])})["Location"])
    assert Deputy.objects.get().term == 18


def test_export_follows_the_filters(staff, login, township, other_township):
    DeputyFactory(name="张三丽", township=township)
    DeputyFactory(name="李四", township=other_township)
    response = login(staff).get("/deputies/export.xlsx", {"search": "zsl"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert names == ["张三丽"]
    assert AuditEntry.objects.filter(action="export").exists()
