import threading
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from suggestions import services
from suggestions.models import State, Suggestion
from tests.conftest import require_or_skip
from tests.factories import CongressSessionFactory
from tests.suggestions.conftest import PDF_BYTES, make_loop
from tests.suggestions.test_views import many


def test_list_is_scoped_like_the_pages(loop, login):
    assigned = loop.to(State.ASSIGNED)
    submitted = loop.to(State.SUBMITTED)
    draft = loop.draft()
    ids = lambda user: sorted(row["id"] for row in login(user).get("/api/v1/suggestions/").json()["results"])  # noqa: E731
    assert ids(loop.staff) == sorted([assigned.pk, submitted.pk])
    assert ids(loop.lead) == sorted([assigned.pk, submitted.pk, draft.pk])
    assert ids(loop.lead_unit_user) == ids(loop.co_unit_user) == [assigned.pk]
    assert ids(loop.other_unit_user) == ids(loop.township_staff) == []
    assert login(loop.manager).get("/api/v1/suggestions/").status_code == 403
    assert login(loop.other_unit_user).get(f"/api/v1/suggestions/{assigned.pk}/").status_code == 404


def test_filters_and_bad_filter_values(loop, login):
    loop.to(State.ASSIGNED, title="交办的")
    loop.to(State.CLOSED, title="办结的")
    client = login(loop.staff)
    body = client.get("/api/v1/suggestions/", {"state": "closed"}).json()
    assert [row["title"] for row in body["results"]] == ["办结的"]
    body = client.get("/api/v1/suggestions/", {"lead_unit": loop.lead_unit.pk, "overdue": "false", "search": "交办"}).json()
    assert [row["title"] for row in body["results"]] == ["交办的"]
    assert client.get("/api/v1/suggestions/", {"state": "lost", "township": "x"}).status_code == 400


@pytest.mark.parametrize("count", [8, 40])
def test_list_runs_a_bounded_number_of_queries(count, loop, login, django_assert_max_num_queries):
    many(loop, count)
    client = login(loop.staff)
    with django_assert_max_num_queries(10):  # categories and townships are prefetched, not joined
        response = client.get("/api/v1/suggestions/?page_size=100")
    assert response.json()["count"] == count


def test_a_deputy_drafts_and_submits_through_the_api(loop, login):
    client = login(loop.lead)
    response = client.post("/api/v1/suggestions/", {
        "title": "增设公交站台", "kind": "suggestion", "category": loop.category.pk, "content": "村口没有站台。",
        "cosigners": [loop.cosigner.deputy.pk],
    }, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft" and body["code"] == "草稿"
    assert body["cosigners"][0]["name"] == "李四" and body["cosigners"][0]["confirmed"] is False
    assert "submit" in body["actions"] and "accept" not in body["actions"]
    submitted = client.post(f"/api/v1/suggestions/{body['id']}/submit/", content_type="application/json").json()
    assert submitted["state"] == "submitted" and submitted["number"] == 1
    assert [e["step"] for e in submitted["timeline"]] == ["create", "invite", "submit"]


def test_bad_input_is_a_400_with_chinese_messages_and_nothing_saved(loop, login):
    response = login(loop.lead).post("/api/v1/suggestions/", {"title": "", "category": 999}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert {"title", "content", "category"} <= set(body)
    assert not Suggestion.objects.exists()
    suggestion = loop.to(State.REPLIED)
    response = login(loop.lead).post(f"/api/v1/suggestions/{suggestion.pk}/evaluate/", {"rating": "unsatisfied"},
                                     content_type="application/json")
    assert response.status_code == 400 and "理由" in response.json()["comment"][0]


def test_an_impossible_transition_is_409_with_the_reason(loop, login):
    suggestion = loop.to(State.CLOSED)
    response = login(loop.staff).post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {}, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"detail": "这件建议目前“已办结”，不能“立案”。"}


def test_the_loop_through_the_api_with_a_pdf_reply(loop, login):
    suggestion = loop.to(State.SUBMITTED)
    staff, unit, deputy = login(loop.staff), login(loop.lead_unit_user), login(loop.lead)
    staff.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {"note": "立案"}, content_type="application/json")
    body = staff.post(f"/api/v1/suggestions/{suggestion.pk}/assign/", {
        "lead_unit": loop.lead_unit.pk, "co_units": [loop.co_unit.pk],
    }, content_type="application/json").json()
    assert body["state"] == "assigned" and body["lead_unit_name"] == "县交通运输局" and body["days_left"] > 80
    unit.post(f"/api/v1/suggestions/{suggestion.pk}/contact/", {"contacted_on": date.today().isoformat(), "method": "meeting"},
              content_type="application/json")
    body = unit.post(f"/api/v1/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已完成", "contact_person": "李华", "contact_phone": "0510-1",
        "attachment": SimpleUploadedFile("答复.pdf", PDF_BYTES, content_type="application/pdf"),
    }).json()
    assert body["state"] == "replied" and body["replies"][0]["in_time"] is True
    assert unit.get(body["replies"][0]["attachment_url"]).status_code == 200
    body = deputy.post(f"/api/v1/suggestions/{suggestion.pk}/evaluate/", {"rating": "satisfied"},
                       content_type="application/json").json()
    assert body["state"] == "evaluated" and body["rating"] == "satisfied"
    body = staff.post(f"/api/v1/suggestions/{suggestion.pk}/close/", {}, content_type="application/json").json()
    assert body["state"] == "closed"


def test_a_reply_must_be_a_pdf(loop, login):
    suggestion = loop.to(State.ASSIGNED)
    services.record_contact(suggestion, by=loop.lead_unit_user, contacted_on=date.today(), method="phone")
    response = login(loop.lead_unit_user).post(f"/api/v1/suggestions/{suggestion.pk}/reply/", {
        "result_class": "A", "text": "已完成", "contact_person": "李华", "contact_phone": "0510-1",
        "attachment": SimpleUploadedFile("答复.pdf", b"<html>not a pdf</html>"),
    })
    assert response.status_code == 400 and "不是有效的 PDF 文件" in response.json()["attachment"][0]
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.ASSIGNED


def test_co_unit_detail_hides_the_lead_units_part(loop, login):
    suggestion = loop.to(State.ASSIGNED)
    services.record_contact(suggestion, by=loop.lead_unit_user, contacted_on=date.today(), method="phone", note="私下沟通")
    body = login(loop.co_unit_user).get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    assert body["contacts"] == [] and "input" in body["actions"] and "reply" not in body["actions"]
    assert login(loop.lead_unit_user).get(f"/api/v1/suggestions/{suggestion.pk}/").json()["contacts"][0]["note"] == "私下沟通"


def test_figures_endpoint_matches_the_dashboard(loop, login):
    many(loop, 8)
    client = login(loop.staff)
    year = Suggestion.objects.first().year
    body = client.get("/api/v1/suggestions/figures/", {"year": year}).json()
    page = client.get("/suggestions/figures/", {"year": year}).context["figures"]
    assert body["totals"] == page.totals
    assert [row["name"] for row in body["by_unit"]] == ["县交通运输局"]
    assert {row["state"] for row in body["by_state"]} >= {"submitted", "closed"}
    assert client.get("/api/v1/suggestions/figures/", {"year": "abc"}).status_code == 400
    assert login(loop.lead).get("/api/v1/suggestions/figures/").status_code == 403


def test_the_schema_lists_every_step(client, db):
    schema = client.get("/api/schema/").content.decode()
    for name in ["accept", "assign", "reply", "evaluate", "request-extension", "figures"]:
        assert f"/api/v1/suggestions/{{id}}/{name}/" in schema or f"/api/v1/suggestions/{name}/" in schema


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_share_a_number():
    if connection.vendor != "postgresql":
        require_or_skip("numbering races need PostgreSQL (set DATABASE_URL)")
    loop = make_loop()
    with time_machine.travel(date(2026, 1, 9), tick=False):
        session = CongressSessionFactory(start_date=date(2026, 1, 8), end_date=date(2026, 1, 11))
        drafts = [loop.draft(title=f"并发{i}", cosigners=[]) for i in range(12)]
        barrier = threading.Barrier(len(drafts))
        errors = []

        def submit(draft):
            try:
                barrier.wait()
                services.submit_suggestion(draft, by=loop.lead)
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    numbers = sorted(Suggestion.objects.filter(session=session).values_list("number", flat=True))
    assert numbers == list(range(1, 13))
