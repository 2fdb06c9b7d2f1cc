"""民生实事票决 in Chromium: a deputy votes on a 375 px phone, staff publish, a department reports
progress, and the public sees the results and the progress."""

import pytest

from tests.browser import browser_page, in_thread, screenshot, sign_in
from tests.factories import HandlingUnitFactory, TownshipFactory, UserFactory
from tests.quality import axe_violations, describe_violations, has_horizontal_scroll
from tests.votes.factories import deputy_account, voting_vote
from votes import services
from votes.models import Ballot, Candidate, VoteStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["城区中小学扩容提质工程", "农村公路提档升级", "城乡供水一体化", "老旧小区改造"]


def setup_vote():
    unit = HandlingUnitFactory(name="县住房和城乡建设局")
    UserFactory(username="unit1", role="unit", handling_unit=unit)
    UserFactory(username="staff1", role="staff", name="代表工委 周敏")
    township = TownshipFactory(name="城关镇")
    vote, candidates, deputies = voting_vote(deputies=5, candidates=4, seats=2, township=township,
                                             title="2026年县级民生实事项目票决", year=2026)
    for candidate, title in zip(candidates, TITLES):
        candidate.title = title
        candidate.summary = f"{title}：项目简介，惠及全县群众。"
        candidate.responsible_unit = unit
        candidate.save()
    deputy = deputies[0]
    user = deputy_account(deputy)
    user.username = "deputy1"
    user.set_password("correct-horse-9")
    user.save()
    others = [deputy_account(d) for d in deputies[1:]]
    return vote, candidates, others


def test_a_deputy_votes_on_a_phone_staff_publish_and_the_public_follows(live_server):
    vote, candidates, others = setup_vote()
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/votes/")
        page.get_by_role("link", name="去投票").click()
        page.wait_for_load_state()
        assert page.locator("#ballot-form").is_visible()
        assert not has_horizontal_scroll(page)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        # Three approvals are one too many: the live counter warns, the server refuses.
        for title in TITLES[:3]:
            page.get_by_role("group", name=f"{TITLES.index(title) + 1}. {title}").get_by_label("赞成", exact=True).check()
        page.get_by_role("group", name=f"4. {TITLES[3]}").get_by_label("弃权", exact=True).check()
        assert page.locator("#approve-counter").inner_text() == "已赞成 3 项，最多 2 项"
        screenshot(page, "votes-ballot-too-many-375")
        page.get_by_role("button", name="下一步：核对选票").click()
        page.wait_for_load_state()
        assert "最多只能对 2 个项目投赞成票" in page.locator(".alert.error").inner_text()
        page.get_by_role("group", name=f"3. {TITLES[2]}").get_by_label("不赞成", exact=True).check()
        screenshot(page, "votes-ballot-375")
        page.get_by_role("button", name="下一步：核对选票").click()
        page.wait_for_load_state()
        assert "您赞成了 2 个项目" in page.locator("main").inner_text()
        screenshot(page, "votes-ballot-confirm-375")
        page.get_by_role("button", name="确认投票").click()
        page.wait_for_load_state()
        assert "投票成功" in page.locator(".messages").inner_text()
        assert "您已完成投票" in page.locator("#ballot-state").inner_text()
        screenshot(page, "votes-ballot-done-375")
        page.goto(f"{live_server.url}/votes/{vote.pk}/ballot/")
        assert "已经投过票" in page.locator("#ballot-refusal").inner_text()

    assert services.ballot_lines(vote) == ["YYNA"]
    for user in others:
        services.cast_ballot(vote, by=user, approve=[candidates[0].pk, candidates[2].pk])

    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/votes/{vote.pk}/manage/")
        assert "5" in page.locator(".figures").first.inner_text()
        page.get_by_role("link", name="立即结束投票").click()
        page.get_by_role("button", name="确认：立即结束投票").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="计票结果").first.click()
        page.wait_for_load_state()
        assert page.locator("#result-table").is_visible()
        page.goto(f"{live_server.url}/votes/{vote.pk}/manage/")
        page.get_by_role("link", name="计票并公布结果").click()
        screenshot(page, "votes-staff-publish-confirm")
        page.get_by_role("button", name="确认：计票并公布结果").click()
        page.wait_for_load_state()
        assert "已完成：计票并公布结果" in page.locator(".messages").inner_text()
        page.get_by_role("link", name="开始组织实施").click()
        page.get_by_role("button", name="确认：开始组织实施").click()
        page.wait_for_load_state()
        screenshot(page, "votes-staff-implementing")
        page.goto(f"{live_server.url}/votes/{vote.pk}/manage/")  # axe without the flash message list
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

    vote.refresh_from_db()
    assert vote.status == VoteStatus.IMPLEMENTING
    elected = list(Candidate.objects.filter(vote=vote, elected=True).order_by("rank"))
    assert [c.title for c in elected] == [TITLES[0], TITLES[2]]  # 5 and 4 approvals of 5

    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "unit1")
        page.goto(f"{live_server.url}/votes/projects/{elected[0].pk}/")
        page.get_by_label("完成进度（%）").fill("35")
        page.get_by_label("本月进展").fill("城东小学主体结构封顶，城关二中教学楼开始装修。")
        page.get_by_role("button", name="报送").click()
        page.wait_for_load_state()
        assert "本月进展已报送" in page.locator(".messages").inner_text()

    with browser_page(width=375, height=812) as page:
        page.goto(f"{live_server.url}/projects/")
        assert vote.title in page.locator("main").inner_text()
        page.get_by_role("link", name=vote.title).click()
        page.wait_for_load_state()
        table = page.locator("#result-table").inner_text()
        assert TITLES[0] in table and "当选" in table
        assert page.locator("#digest").inner_text() == vote.result_digest
        assert not has_horizontal_scroll(page)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        screenshot(page, "votes-public-results-375")
        page.get_by_role("link", name=f"{elected[0].number}. {TITLES[0]}").click()
        page.wait_for_load_state()
        progress = page.locator("#progress-reports").inner_text()
        assert "35%" in progress and "主体结构封顶" in progress
        assert not has_horizontal_scroll(page)
        screenshot(page, "votes-public-project-375")
    assert Ballot.objects.filter(vote=vote).count() == 5


def test_the_public_proposes_a_project_on_a_phone_without_javascript(live_server):
    from tests.votes.factories import ProjectVoteFactory

    ProjectVoteFactory(status=VoteStatus.COLLECTING, title="2027年县级民生实事项目征集")
    with browser_page(width=375, height=812, javascript=False) as page:
        page.goto(f"{live_server.url}/projects/")
        page.get_by_role("link", name="我要推荐项目").click()
        page.wait_for_load_state()
        page.get_by_label("项目名称").fill("幸福路加装路灯")
        page.get_by_label("项目内容").fill("幸福路北段约800米没有路灯，晚上很危险。")
        page.get_by_label("联系电话（选填）").fill("12345")
        page.get_by_role("button", name="提交建议").click()
        page.wait_for_load_state()
        assert "请输入11位手机号码" in page.locator("main").inner_text()
        screenshot(page, "votes-propose-error-375")
        page.get_by_label("联系电话（选填）").fill("13812345678")
        page.get_by_role("button", name="提交建议").click()
        page.wait_for_load_state()
        assert "感谢您的推荐" in page.locator("h1").inner_text()
        screenshot(page, "votes-propose-thanks-375")
    from votes.models import Proposal

    assert in_thread(lambda: Proposal.objects.get().title) == "幸福路加装路灯"


def test_a_station_page_offers_the_proposal_form_while_collecting(live_server):
    from tests.factories import StationFactory
    from tests.votes.factories import ProjectVoteFactory
    from votes.models import Proposal

    station = StationFactory(township=TownshipFactory(name="城关镇"), name="城关镇代表之家")
    ProjectVoteFactory(status=VoteStatus.COLLECTING, title="2027年县级民生实事项目征集")
    with browser_page(width=375, height=812, javascript=False) as page:
        page.goto(f"{live_server.url}/s/{station.code}/")
        panel = page.locator("#project-proposal")
        assert "推荐民生实事项目" in panel.inner_text()
        screenshot(page, "votes-station-panel-375")
        panel.get_by_role("link", name="我要推荐项目").click()
        page.wait_for_load_state()
        page.get_by_label("项目名称").fill("前进村便民桥")
        page.get_by_label("项目内容").fill("小河上只有一座木桥，雨季常被冲坏，希望修一座水泥桥。")
        page.get_by_role("button", name="提交建议").click()
        page.wait_for_load_state()
        assert "感谢您的推荐" in page.locator("h1").inner_text()
    proposal = Proposal.objects.get()
    assert (proposal.source, proposal.station_name) == ("station", "城关镇代表之家")
