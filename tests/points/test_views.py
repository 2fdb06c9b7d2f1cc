"""Who sees which points: a deputy their own (and their group as leader), staff everyone in
their scope; the rules page; the dossier page and Word file; the API; the group summaries."""

from io import BytesIO

import pytest
from django.core import mail
from docx import Document

from accounts.models import Role
from deputies.models import SessionAttendance
from notifications.models import Notification
from points import services
from points.models import Event, GroupSummary, PointRule
from tests.factories import CongressSessionFactory, DeputyGroupFactory, UserFactory
from tests.points.conftest import YEAR


@pytest.fixture
def county(records):
    """Two deputies with accounts in one group (the first leads it), one outside it."""
    group = DeputyGroupFactory(name="城关镇代表小组", township=records.township)
    users = [UserFactory(role=Role.DEPUTY, username=f"d{i}", email=f"d{i}@example.cn" if i == 0 else "")
             for i in range(3)]
    leader = records.deputy(name="组长甲", user=users[0], group=group)
    member = records.deputy(name="组员乙", user=users[1], group=group)
    outsider = records.deputy(name="组外丙", user=users[2])
    group.leader = leader
    group.save()
    records.visits(leader, 3, receptions=1)
    records.visits(member, 1)
    records.visits(outsider, 5)
    return {"group": group, "leader": leader, "member": member, "outsider": outsider}


@pytest.mark.django_db
class TestPages:
    def test_deputy_sees_own_points_and_rank(self, county, login):
        client = login(county["member"].user)
        response = client.get(f"/points/?year={YEAR}", follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "我的履职积分" in html and "全县排名" in html
        assert 'data-source="stations.visit:' in html

    def test_deputy_cannot_see_another_deputys_points(self, county, login):
        client = login(county["member"].user)
        assert client.get(f"/points/deputies/{county['outsider'].pk}/").status_code == 404
        assert client.get(f"/points/deputies/{county['outsider'].pk}/dossier.docx").status_code == 404
        assert client.get("/points/ranking/").status_code == 403

    def test_group_leader_sees_the_group(self, county, login):
        client = login(county["leader"].user)
        response = client.get(f"/points/groups/{county['group'].pk}/?year={YEAR}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "组员乙" in html and "组外丙" not in html
        assert client.get(f"/points/deputies/{county['member'].pk}/?year={YEAR}").status_code == 200
        member = login(county["member"].user)
        assert member.get(f"/points/groups/{county['group'].pk}/").status_code == 404

    def test_staff_ranking_export_and_scope(self, county, login, staff, township_staff):
        response = login(staff).get(f"/points/ranking/?year={YEAR}")
        html = response.content.decode()
        assert html.index("组外丙") < html.index("组长甲") < html.index("组员乙")
        export = login(staff).get(f"/points/ranking/export.xlsx?year={YEAR}")
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
        # 青山镇 staff see none of 城关镇's deputies.
        assert "组外丙" not in login(township_staff).get(f"/points/ranking/?year={YEAR}").content.decode()
        assert login(township_staff).get(f"/points/deputies/{county['outsider'].pk}/").status_code == 404

    def test_unit_users_get_403(self, county, login, unit_user):
        assert login(unit_user).get("/points/").status_code == 403

    def test_bad_year_falls_back_to_this_year(self, county, login, staff):
        assert login(staff).get("/points/ranking/?year=abc").status_code == 200


@pytest.mark.django_db
class TestDossier:
    def test_print_page_and_word_file(self, county, login, records):
        deputy = county["leader"]
        session = CongressSessionFactory(start_date=f"{YEAR}-01-08", end_date=f"{YEAR}-01-10")
        SessionAttendance.objects.create(session=session, deputy=deputy, status="present")
        client = login(deputy.user)
        page = client.get(f"/points/deputies/{deputy.pk}/dossier/?year={YEAR}")
        assert page.status_code == 200
        html = page.content.decode()
        assert "履职档案" in html and "不记录投票内容" in html and 'id="print-button"' in html
        response = client.get(f"/points/deputies/{deputy.pk}/dossier.docx?year={YEAR}")
        assert response.status_code == 200
        document = Document(BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"组长甲 {YEAR}年度履职档案" in text
        assert "全年进站履职 3 次，接待群众 3 人次。" in text
        assert f"{YEAR}年度履职积分 19 分" in text  # 3 visits × 2 + 3 receptions × 1 + session 10
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == ["一、基本情况", "二、所在家室站点", "三、进站履职和接待群众", "四、参加活动",
                            "五、代表大会出席情况", "六、提出建议及办理情况", "七、民生实事项目票决", "八、履职积分及来源"]


@pytest.mark.django_db
class TestRules:
    def test_staff_edit_rules_and_points_follow(self, county, login, staff):
        client = login(staff)
        page = client.get(f"/points/rules/?year={YEAR}")
        assert page.status_code == 200 and "值班缺勤" in page.content.decode()
        data = {}
        for rule in PointRule.objects.filter(year=YEAR):
            data[f"{rule.event}-points"] = rule.points
            data[f"{rule.event}-yearly_cap"] = rule.yearly_cap or ""
            data[f"{rule.event}-is_active"] = "on"
        data["visit-points"] = 10
        response = client.post(f"/points/rules/?year={YEAR}", data)
        assert response.status_code == 302
        api = client.get(f"/api/v1/points/deputies/{county['outsider'].pk}/?year={YEAR}").json()
        assert api["total"] == 50

    def test_bad_rule_is_refused_with_a_message(self, county, login, staff):
        client = login(staff)
        client.get(f"/points/rules/?year={YEAR}")
        data = {}
        for rule in PointRule.objects.filter(year=YEAR):
            data[f"{rule.event}-points"] = rule.points
            data[f"{rule.event}-yearly_cap"] = rule.yearly_cap or ""
            data[f"{rule.event}-is_active"] = "on"
        data["duty_missed-points"] = 5
        response = client.post(f"/points/rules/?year={YEAR}", data)
        assert response.status_code == 400
        assert "扣分事项的分值应为负数" in response.content.decode()
        assert PointRule.objects.get(year=YEAR, event=Event.DUTY_MISSED).points == -3

    def test_deputies_cannot_open_rules(self, county, login):
        assert login(county["leader"].user).get("/points/rules/").status_code == 403


@pytest.mark.django_db
class TestApi:
    def test_standings_and_trace(self, county, login, staff):
        client = login(staff)
        body = client.get(f"/api/v1/points/standings/?year={YEAR}").json()
        assert body["count"] == 3 and body["results"][0]["name"] == "组外丙"
        assert body["results"][0]["by_event"] == {"visit": 10}
        detail = client.get(f"/api/v1/points/deputies/{county['leader'].pk}/?year={YEAR}").json()
        assert detail["total"] == 9 and detail["rank"] == 2
        sources = {e["source"]["type"] for e in detail["entries"]}
        assert sources == {"stations.visit", "stations.reception"}

    def test_rules_api(self, county, login, staff):
        client = login(staff)
        rules = client.get(f"/api/v1/points/rules/?year={YEAR}").json()
        assert len(rules) == len(Event)
        visit = next(r for r in rules if r["event"] == "visit")
        response = client.patch(f"/api/v1/points/rules/{visit['id']}/", {"points": 3}, content_type="application/json")
        assert response.status_code == 200
        assert client.get(f"/api/v1/points/deputies/{county['outsider'].pk}/?year={YEAR}").json()["total"] == 15
        bad = client.patch(f"/api/v1/points/rules/{visit['id']}/", {"points": -3}, content_type="application/json")
        assert bad.status_code == 400

    def test_deputy_api_scope(self, county, login):
        client = login(county["member"].user)
        assert client.get(f"/api/v1/points/deputies/{county['member'].pk}/").status_code == 200
        assert client.get(f"/api/v1/points/deputies/{county['outsider'].pk}/").status_code == 404
        assert client.get("/api/v1/points/standings/").status_code == 403
        assert client.get("/api/v1/points/standings/?year=20x6").status_code == 403

    def test_bad_year_is_a_400(self, county, login, staff):
        response = login(staff).get("/api/v1/points/standings/?year=20x6")
        assert response.status_code == 400 and "年度" in response.json()["year"]


@pytest.mark.django_db
class TestGroupSummaries:
    def test_sent_once_per_group_and_quarter(self, county, records, django_capture_on_commit_callbacks):
        from datetime import date

        with django_capture_on_commit_callbacks(execute=True):
            sent = services.send_group_summaries(today=date(YEAR, 4, 1))
        assert sent >= 1
        summary = GroupSummary.objects.get(group=county["group"], year=YEAR, quarter=1)
        assert "组长甲" in summary.body and "组员乙" in summary.body and "组外丙" not in summary.body
        notes = Notification.objects.filter(kind="points_group_summary")
        assert sorted(n.recipient.username for n in notes) == ["d0", "d1"]
        assert [m.to for m in mail.outbox] == [["d0@example.cn"]]
        assert services.send_group_summaries(today=date(YEAR, 4, 20)) == 0
        assert Notification.objects.filter(kind="points_group_summary").count() == 2

    def test_summary_counts_only_the_quarter_that_ended(self, county, records):
        from datetime import date

        services.send_group_summaries(today=date(YEAR, 2, 1))  # Q4 of the year before
        summary = GroupSummary.objects.get(group=county["group"])
        assert (summary.year, summary.quarter) == (YEAR - 1, 4)
        assert "组长甲 0分" in summary.body

    def test_command_and_beat_entry(self, county, settings):
        from django.core.management import call_command

        call_command("send_group_summaries", "--today", f"{YEAR}-07-01", verbosity=0)
        assert GroupSummary.objects.filter(year=YEAR, quarter=2).exists()
        entry = settings.CELERY_BEAT_SCHEDULE["points-quarterly-group-summary"]
        assert entry["task"] == "points.tasks.send_group_summaries"
        assert entry["schedule"].month_of_year == {1, 4, 7, 10}


@pytest.mark.django_db
class TestSessionAttendancePage:
    def test_staff_record_attendance_and_points_follow(self, records, login, staff):
        from points.ledger import standings

        session = CongressSessionFactory(start_date=f"{YEAR}-01-08", end_date=f"{YEAR}-01-10")
        a, b = records.deputy(name="出席者"), records.deputy(name="缺席者")
        client = login(staff)
        page = client.get(f"/deputies/sessions/{session.pk}/attendance/")
        assert page.status_code == 200 and "出席者" in page.content.decode()
        response = client.post(f"/deputies/sessions/{session.pk}/attendance/", {
            f"status-{a.pk}": "present", f"status-{b.pk}": "absent", f"note-{b.pk}": "",
        })
        assert response.status_code == 302
        table = standings(YEAR)
        assert table.of(a.pk).total == 10 and table.of(b.pk).total == -10
        assert "1" in client.get("/deputies/sessions/").content.decode()

    def test_bad_status_is_refused(self, records, login, staff):
        session = CongressSessionFactory(start_date=f"{YEAR}-01-08", end_date=f"{YEAR}-01-10")
        a = records.deputy()
        response = login(staff).post(f"/deputies/sessions/{session.pk}/attendance/", {f"status-{a.pk}": "maybe"})
        assert response.status_code == 400
        assert not SessionAttendance.objects.exists()

    def test_deputies_cannot_record(self, records, login):
        session = CongressSessionFactory(start_date=f"{YEAR}-01-08", end_date=f"{YEAR}-01-10")
        user = UserFactory(role=Role.DEPUTY)
        assert login(user).get(f"/deputies/sessions/{session.pk}/attendance/").status_code == 403


@pytest.mark.django_db
def test_dossier_lists_votes_cast_never_their_content(county, login):
    from divisions.models import Congress
    from votes.models import ProjectVote, VoterRecord

    deputy = county["leader"]
    voted = ProjectVote.objects.create(title=f"{YEAR}年县级民生实事项目票决", year=YEAR, term=18, seats=3, status="published")
    skipped = ProjectVote.objects.create(title="乡镇票决", year=YEAR, term=18, seats=3, status="published",
                                         congress=Congress.objects.of(deputy.township))
    VoterRecord.objects.create(vote=voted, deputy=deputy, voted=True)
    VoterRecord.objects.create(vote=skipped, deputy=deputy, voted=False)
    response = login(deputy.user).get(f"/points/deputies/{deputy.pk}/dossier.docx?year={YEAR}")
    document = Document(BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert f"{YEAR}年县级民生实事项目票决" in cells and "已投票" in cells
    assert "乡镇票决" not in cells
    assert not any(word in cells for word in ("赞成", "不赞成", "弃权"))


@pytest.mark.django_db
def test_dossier_is_a_gongwen_signed_by_the_county_congress(county, login):
    """GB/T 9704-2012 layout (core.word), the county's congress as author and signatory."""
    from divisions.models import Congress
    from divisions.scope import county_path
    from tests.core.test_word import assert_gongwen_layout

    deputy = county["leader"]
    congress = Congress.objects.get(region__path=county_path(deputy.township))
    response = login(deputy.user).get(f"/points/deputies/{deputy.pk}/dossier.docx?year={YEAR}")
    document = Document(BytesIO(response.content))
    assert_gongwen_layout(document, issuer=str(congress.standing_body_name), author=congress.name)
    visits = next(t for t in document.tables if t.rows[0].cells[0].text == "日期" and t.rows[0].cells[2].text == "接待人次")
    assert visits.rows[-1].cells[0].text == "合计3次"
    assert int(visits.rows[-1].cells[2].text) == sum(int(r.cells[2].text) for r in visits.rows[1:-1]) == 3
