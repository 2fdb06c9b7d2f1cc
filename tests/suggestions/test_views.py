import io
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from suggestions import services
from suggestions.models import Attachment, Reply, State, Suggestion
from tests.suggestions.conftest import PDF_BYTES

STATES_CYCLE = [
    State.SUBMITTED, State.ACCEPTED, State.ASSIGNED, State.REPLIED, State.EVALUATED, State.CLOSED,
    State.REHANDLING, State.REFERENCE,
]


def many(loop, n):
    return [loop.to(STATES_CYCLE[i % len(STATES_CYCLE)], title=f"建议{i}") for i in range(n)]


def png_upload(name="现场.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="答复.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def html(response):
    return response.content.decode()


# --- Who sees what -----------------------------------------------------------------------------


def test_deputy_sees_their_own_and_cosigned_suggestions_only(loop, login):
    mine = loop.to(State.ASSIGNED)
    theirs = services.create_draft(by=loop.other_deputy, title="王五的建议", content="内容", category=loop.category)
    lead_page = login(loop.lead).get("/suggestions/")
    assert [s.pk for s in lead_page.context["suggestions"]] == [mine.pk]
    assert "我的建议" in html(lead_page) and "领衔" in html(lead_page)
    assert "附议" in html(login(loop.cosigner).get("/suggestions/"))
    assert login(loop.lead).get(f"/suggestions/{theirs.pk}/").status_code == 404
    assert login(loop.other_deputy).get(f"/suggestions/{mine.pk}/").status_code == 404


def test_a_unit_sees_only_what_is_assigned_to_it(loop, login):
    assigned = loop.to(State.ASSIGNED)
    waiting = loop.to(State.ACCEPTED)
    page = login(loop.lead_unit_user).get("/suggestions/")
    assert page.context["suggestion_ids"] == [assigned.pk]
    assert "主办" in html(page)
    assert "协办" in html(login(loop.co_unit_user).get("/suggestions/"))
    assert login(loop.other_unit_user).get(f"/suggestions/{assigned.pk}/").status_code == 404
    assert login(loop.lead_unit_user).get(f"/suggestions/{waiting.pk}/").status_code == 404


def test_staff_never_see_drafts_and_township_staff_see_their_township(loop, login):
    draft = loop.draft()
    submitted = loop.to(State.SUBMITTED)
    page = login(loop.staff).get("/suggestions/")
    assert page.context["suggestion_ids"] == [submitted.pk]
    assert login(loop.staff).get(f"/suggestions/{draft.pk}/").status_code == 404
    assert login(loop.township_staff).get("/suggestions/").context["suggestion_ids"] == []
    assert login(loop.township_staff).get(f"/suggestions/{submitted.pk}/").status_code == 404


def test_station_managers_and_the_public_are_kept_out(loop, login, client):
    suggestion = loop.to(State.SUBMITTED)
    assert login(loop.manager).get("/suggestions/").status_code == 403
    assert login(loop.manager).get(f"/suggestions/{suggestion.pk}/").status_code == 403
    response = client.get("/suggestions/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_co_unit_sees_its_part_not_the_lead_units_contacts_and_extensions(loop, login):
    suggestion = loop.to(State.ASSIGNED)
    services.send_co_unit_input(suggestion, by=loop.co_unit_user, text="学校路段由我局配合")
    services.record_contact(suggestion, by=loop.lead_unit_user, contacted_on=date.today(), method="phone", note="约定现场察看")
    lead_page = html(login(loop.lead_unit_user).get(f"/suggestions/{suggestion.pk}/"))
    co_page = html(login(loop.co_unit_user).get(f"/suggestions/{suggestion.pk}/"))
    deputy_page = html(login(loop.lead).get(f"/suggestions/{suggestion.pk}/"))
    assert "约定现场察看" in lead_page and "学校路段由我局配合" in lead_page
    assert "约定现场察看" not in co_page and "学校路段由我局配合" in co_page
    assert "学校路段由我局配合" not in deputy_page and "约定现场察看" in deputy_page


# --- Drafting on a phone -----------------------------------------------------------------------


def test_deputy_drafts_with_a_photo_and_a_pdf_then_submits(loop, login):
    client = login(loop.lead)
    assert client.get("/suggestions/new/").status_code == 200
    response = client.post("/suggestions/new/", {
        "title": "增设学校门口红绿灯", "kind": "suggestion", "category": loop.category.pk,
        "content": "上下学高峰车流大。", "cosigners": [loop.cosigner.deputy.pk],
        "attachments": [png_upload(), pdf_upload("调研报告.pdf")],
    })
    suggestion = Suggestion.objects.get(title="增设学校门口红绿灯")
    assert response.status_code == 302 and response["Location"] == f"/suggestions/{suggestion.pk}/"
    assert sorted(Attachment.objects.values_list("name", flat=True)) == ["现场.png", "调研报告.pdf"]
    detail = html(client.get(response["Location"]))
    assert "草稿" in detail and "提交" in detail and "李四" in detail
    attachment = Attachment.objects.get(name="调研报告.pdf")
    assert client.get(f"/suggestions/{suggestion.pk}/files/{attachment.pk}/").status_code == 200
    assert login(loop.other_deputy).get(f"/suggestions/{suggestion.pk}/files/{attachment.pk}/").status_code == 404
    response = client.post(f"/suggestions/{suggestion.pk}/submit/")
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.SUBMITTED


def test_a_bad_attachment_is_refused_and_nothing_is_saved(loop, login):
    response = login(loop.lead).post("/suggestions/new/", {
        "title": "t", "kind": "suggestion", "category": loop.category.pk, "content": "c",
        "attachments": [SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", content_type="application/octet-stream")],
    })
    assert response.status_code == 400
    assert "不是 PDF 文件或图片" in html(response)
    assert not Suggestion.objects.exists()


def test_draft_form_shows_chinese_errors(loop, login):
    response = login(loop.lead).post("/suggestions/new/", {"kind": "suggestion"})
    assert response.status_code == 400
    assert "这个字段是必填项" in html(response) or "该字段是必填项" in html(response)


def test_the_cosigner_picker_is_searchable_and_shows_township_and_group(loop, login):
    from deputies.models import Deputy
    from tests.factories import DeputyGroupFactory

    group = DeputyGroupFactory(name="城关代表小组")
    Deputy.objects.filter(user=loop.cosigner).update(group=group)
    page = html(login(loop.lead).get("/suggestions/new/"))
    select = page[page.index('name="cosigners"'):page.index("</select>", page.index('name="cosigners"'))]
    assert 'class="deputy-picker"' in page and "deputies/deputy-picker.js" in page
    assert "李四（城关镇 · 城关代表小组）" in select
    option = select[select.rfind('data-search="', 0, select.index("李四（")):]
    assert 'data-search="李四 lisi ls 城关镇 城关代表小组"' in select or ("ls" in option and "城关代表小组" in option)
    assert "王五（城关镇）" in select  # no group: the township alone
    assert "//" not in page.split("deputy-picker.js")[0].rsplit('src="', 1)[1]  # served from here, no CDN


def test_only_deputies_draft(loop, login):
    assert login(loop.staff).get("/suggestions/new/").status_code == 403
    assert login(loop.lead_unit_user).post("/suggestions/new/", {}).status_code == 403


# --- Steps through pages -----------------------------------------------------------------------


def test_staff_accept_and_assign_through_the_pages(loop, login):
    suggestion = loop.to(State.SUBMITTED)
    client = login(loop.staff)
    detail = html(client.get(f"/suggestions/{suggestion.pk}/"))
    assert "立案" in detail and "转为参阅件" in detail
    assert client.post(f"/suggestions/{suggestion.pk}/accept/", {"note": "同意立案"}).status_code == 302
    assert client.get(f"/suggestions/{suggestion.pk}/assign/").status_code == 200
    response = client.post(f"/suggestions/{suggestion.pk}/assign/", {
        "lead_unit": loop.lead_unit.pk, "co_units": [loop.co_unit.pk], "note": "",
    })
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.ASSIGNED and suggestion.lead_unit == loop.lead_unit


def test_an_impossible_step_is_a_409_page_in_chinese(loop, login):
    suggestion = loop.to(State.ASSIGNED)
    response = login(loop.staff).post(f"/suggestions/{suggestion.pk}/accept/", {})
    assert response.status_code == 409
    assert "这件建议目前“办理中”，不能“立案”" in html(response)
    assert login(loop.staff).get(f"/suggestions/{suggestion.pk}/accept/").status_code == 409


def test_bad_step_input_is_a_400_with_the_message_and_changes_nothing(loop, login):
    suggestion = loop.to(State.REPLIED)
    response = login(loop.lead).post(f"/suggestions/{suggestion.pk}/evaluate/", {"rating": "unsatisfied", "comment": ""})
    assert response.status_code == 400
    assert "请写明不满意的理由" in html(response)
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.REPLIED


def test_a_unit_replies_with_a_pdf_and_not_with_anything_else(loop, login):
    suggestion = loop.to(State.ASSIGNED)
    client = login(loop.lead_unit_user)
    response = client.post(f"/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已修复", "contact_person": "李华", "contact_phone": "0510-1",
        "attachment": pdf_upload(),
    })
    assert response.status_code == 400 and "办前沟通" in html(response)
    client.post(f"/suggestions/{suggestion.pk}/contact/", {"contacted_on": date.today().isoformat(), "method": "phone"})
    response = client.post(f"/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已修复", "contact_person": "李华", "contact_phone": "0510-1",
        "attachment": SimpleUploadedFile("reply.pdf", b"not a pdf"),
    })
    assert response.status_code == 400 and "不是有效的 PDF 文件" in html(response)
    response = client.post(f"/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已修复", "contact_person": "李华", "contact_phone": "0510-1",
        "attachment": pdf_upload(),
    })
    assert response.status_code == 302
    assert client.get(f"/suggestions/{suggestion.pk}/replies/1/file/").status_code == 200


def test_the_reply_action_leads_to_the_contact_first_and_a_refused_reply_keeps_its_pdf(loop, login):
    import re

    suggestion = loop.to(State.ASSIGNED)
    client = login(loop.lead_unit_user)
    detail = html(client.get(f"/suggestions/{suggestion.pk}/"))
    assert 'id="reply-contact-first"' in detail and f'/suggestions/{suggestion.pk}/contact/' in detail
    response = client.get(f"/suggestions/{suggestion.pk}/reply/", follow=True)
    assert response.redirect_chain[-1][0] == f"/suggestions/{suggestion.pk}/contact/"
    assert "答复前须先记录与领衔代表的办前沟通情况" in html(response)
    client.post(f"/suggestions/{suggestion.pk}/contact/", {"contacted_on": date.today().isoformat(), "method": "phone"})
    assert 'id="reply-contact-first"' not in html(client.get(f"/suggestions/{suggestion.pk}/"))
    refused = client.post(f"/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "", "contact_person": "李华", "contact_phone": "0510-1",
        "attachment": pdf_upload(),
    })
    page = html(refused)
    assert refused.status_code == 400 and 'id="error-summary"' in page and 'href="#id_text"' in page
    assert "已保留您上次选择的文件" in page
    token = re.search(r'name="kept_attachment" value="([^"]+)"', page).group(1)
    # A forged token keeps nothing.
    response = client.post(f"/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已修复", "contact_person": "李华", "contact_phone": "0510-1",
        "kept_attachment": token + "x",
    })
    assert response.status_code == 400 and "请上传盖章的答复件" in html(response)
    response = client.post(f"/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已修复", "contact_person": "李华", "contact_phone": "0510-1",
        "kept_attachment": token,
    })
    assert response.status_code == 302
    assert client.get(f"/suggestions/{suggestion.pk}/replies/1/file/").status_code == 200


def test_unknown_step_is_404(loop, login):
    suggestion = loop.to(State.SUBMITTED)
    assert login(loop.staff).get(f"/suggestions/{suggestion.pk}/delete/").status_code == 404


# --- Lists, review, figures at bounded queries ----------------------------------------------------


@pytest.mark.parametrize("count", [8, 40])
def test_lists_run_a_bounded_number_of_queries(count, loop, login, django_assert_max_num_queries):
    many(loop, count)
    for user in (loop.staff, loop.lead_unit_user, loop.lead):
        client = login(user)
        # staff and units: the page's (pk, updated_at), then its rows uncached (views.table_rows)
        with django_assert_max_num_queries(15):
            assert client.get("/suggestions/").status_code == 200
    client = login(loop.staff)
    # four lists, each with its categories and townships prefetched (Suggestion.objects.for_list)
    with django_assert_max_num_queries(18):
        assert client.get("/suggestions/review/").status_code == 200


@pytest.mark.parametrize("count", [8, 40])
def test_dashboard_and_detail_run_a_bounded_number_of_queries(count, loop, login, django_assert_max_num_queries):
    suggestions = many(loop, count)
    client = login(loop.staff)
    with django_assert_max_num_queries(18):
        assert client.get("/suggestions/figures/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/suggestions/{suggestions[-1].pk}/").status_code == 200


def test_list_filters(loop, login):
    overdue = loop.to(State.ASSIGNED, title="逾期的")
    Suggestion.objects.filter(pk=overdue.pk).update(deadline=date(2020, 1, 1))
    services.mark_key_supervision(overdue, by=loop.staff, supervisor="王主任")
    loop.to(State.CLOSED, title="办结的")
    client = login(loop.staff)
    for query, titles in [
        ({"overdue": "true"}, ["逾期的"]), ({"is_key": "true"}, ["逾期的"]), ({"state": "closed"}, ["办结的"]),
        ({"search": "办结"}, ["办结的"]), ({"lead_unit": loop.lead_unit.pk, "state": "assigned"}, ["逾期的"]),
    ]:
        page = client.get("/suggestions/", query)
        assert [Suggestion.objects.get(pk=pk).title for pk in page.context["suggestion_ids"]] == titles, query
    assert client.get("/suggestions/", {"township": "abc"}).status_code == 200


def test_figures_are_the_rates_of_the_issue(loop, login):
    with time_machine.travel(date(2026, 2, 1), tick=False):
        closed = loop.to(State.CLOSED)  # A, 满意
        basic = loop.to(State.EVALUATED)
        rehandling = loop.to(State.REHANDLING)  # 不满意
        replied_b = loop.to(State.REPLIED, title="B类")
        loop.to(State.ASSIGNED)
        loop.to(State.SUBMITTED)
        loop.to(State.WITHDRAWN)
    Reply.objects.filter(suggestion=replied_b).update(result_class="B")
    Suggestion.objects.filter(pk=replied_b.pk).update(reply_class="B")
    with time_machine.travel(date(2026, 6, 1), tick=False):
        page = login(loop.staff).get("/suggestions/figures/", {"year": 2026})
    totals = page.context["figures"].totals
    assert totals["total"] == 6  # withdrawn is not counted
    assert totals["assigned"] == 5
    assert totals["replied"] == 3  # closed, evaluated, replied (re-handling is not replied)
    assert totals["completion_rate"] == 60.0
    assert totals["evaluated"] == 3 and totals["satisfied"] == 2
    assert totals["satisfaction_rate"] == 66.67
    assert totals["success_rate"] == 66.67  # 2 of the 3 standing replies are A
    assert totals["overdue"] == 2  # the assigned one (due 2026-05-01) and the re-handled one (due 2026-03-01)
    assert totals["in_time_rate"] == 100.0
    assert [row["name"] for row in page.context["figures"].by_unit] == ["县交通运输局"]
    assert "66.67%" in html(page)
    assert {closed.state, basic.state, rehandling.state} == {State.CLOSED, State.EVALUATED, State.REHANDLING}


def test_figures_export_has_every_table(loop, login):
    many(loop, 8)
    response = login(loop.staff).get("/suggestions/figures/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["概况", "按状态", "按主办单位", "按类别", "按乡镇", "逾期清单"]
    summary = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=3, values_only=True)}
    assert summary["建议件数"] == 8 and summary["办结率"].endswith("%")
    assert login(loop.lead).get("/suggestions/figures/").status_code == 403


def test_list_export_is_scoped_and_filtered(loop, login):
    loop.to(State.ASSIGNED, title="交办的")
    loop.to(State.SUBMITTED, title="刚提交的")
    response = login(loop.lead_unit_user).get("/suggestions/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in rows] == ["交办的"]
    assert rows[0][6] is None  # the co-signer was invited but did not confirm
    assert rows[0][9] == "县交通运输局" and rows[0][10] == "县教育局"
    response = login(loop.staff).get("/suggestions/export.xlsx", {"state": "submitted"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in rows] == ["刚提交的"]


# --- Public disclosure ----------------------------------------------------------------------------


def test_the_public_page_shows_published_replies_without_personal_data(loop, client):
    published = loop.to(State.CLOSED, title="公开的建议")
    loop.to(State.CLOSED, title="未公开的建议")
    services.publish_reply(published, by=loop.staff)
    page = html(client.get("/suggestions/public/"))
    assert "公开的建议" in page and "未公开的建议" not in page
    reply = Reply.objects.get(suggestion=published)
    detail = client.get(f"/suggestions/public/{reply.pk}/")
    text = html(detail)
    assert detail.status_code == 200 and "已安排资金" in text
    for personal in ("张三丽", "李四", "李华", "0510-1234567"):
        assert personal not in text and personal not in page
    other = Reply.objects.exclude(pk=reply.pk).get()
    assert client.get(f"/suggestions/public/{other.pk}/").status_code == 404


def test_evaluate_button_waits_on_the_deputys_list(loop, login):
    loop.to(State.REPLIED)
    page = html(login(loop.lead).get("/suggestions/"))
    assert "对答复进行测评" in page


def test_an_attachment_is_served_as_what_it_is_not_as_what_its_name_says(loop, login):
    client = login(loop.lead)
    client.post("/suggestions/new/", {
        "title": "t", "kind": "suggestion", "category": loop.category.pk, "content": "c",
        "attachments": [SimpleUploadedFile("evil.html", PDF_BYTES + b"<script>alert(1)</script>", content_type="text/html")],
    })
    attachment = Attachment.objects.get()
    response = client.get(f"/suggestions/{attachment.suggestion_id}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
