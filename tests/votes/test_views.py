"""Pages: who sees what, the ballot form on the server side, staff actions, bounded queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DeputyFactory, HandlingUnitFactory, UserFactory
from tests.votes.factories import (
    CandidateFactory,
    ProjectVoteFactory,
    ProposalFactory,
    deputy_account,
    voting_vote,
)
from votes import services
from votes.models import Ballot, Candidate, ProjectVote, VoteStatus

pytestmark = pytest.mark.django_db


def published_vote(staff, deputies=4):
    vote, candidates, people = voting_vote(deputies=deputies, candidates=4, seats=2)
    users = [deputy_account(d) for d in people]
    for user in users:
        services.cast_ballot(vote, by=user, approve=[candidates[0].pk, candidates[1].pk])
    services.close_voting(vote, by=staff)
    vote = services.publish_results(vote, by=staff)
    return vote, candidates, users


def test_staff_dashboard_lists_and_pages_render(staff, login):
    client = login(staff)
    collecting = ProjectVoteFactory(status=VoteStatus.COLLECTING)
    ProposalFactory(vote=collecting, title="西河村道路硬化")
    voting, _c, _d = voting_vote()
    published, candidates, _u = published_vote(staff)
    assert "民生实事票决" in client.get("/votes/").content.decode()
    for vote in (collecting, voting, published):
        for path in ["manage/", "proposals/", "voters/", "paper/"]:
            response = client.get(f"/votes/{vote.pk}/{path}")
            assert response.status_code == 200, (vote.status, path)
    assert "西河村道路硬化" in client.get(f"/votes/{collecting.pk}/proposals/").content.decode()
    assert client.get(f"/votes/{voting.pk}/results/").status_code == 200
    assert client.get(f"/votes/{published.pk}/results/").status_code == 200
    assert client.get(f"/votes/projects/{candidates[0].pk}/").status_code == 200
    assert client.get("/votes/late/").status_code == 200
    assert client.get("/votes/new/").status_code == 200


def test_staff_see_only_turnout_until_the_window_closes(staff, login):
    vote, candidates, deputies = voting_vote(deputies=3)
    services.cast_ballot(vote, by=deputy_account(deputies[0]), approve=[candidates[0].pk])
    html = login(staff).get(f"/votes/{vote.pk}/results/").content.decode()
    assert "截止前只显示投票人数" in html
    assert 'id="result-table"' not in html
    services.close_voting(vote, by=staff)
    html = login(staff).get(f"/votes/{vote.pk}/results/").content.decode()
    assert 'id="result-table"' in html and "尚未公布" in html


def test_staff_create_a_vote_and_bad_input_saves_nothing(staff, login):
    from tests.factories import CongressSessionFactory

    session = CongressSessionFactory()
    client = login(staff)
    response = client.post("/votes/new/", {"title": "", "year": 1990, "level": "county", "term": 18, "seats": 0})
    assert response.status_code == 400
    assert not ProjectVote.objects.exists()
    response = client.post("/votes/new/", {
        "title": "2027年县级民生实事项目票决", "year": 2027, "level": "county", "term": 18,
        "session": session.pk, "seats": 10, "min_extra_candidates": 1, "min_candidate_ratio": "1.0",
        "threshold_basis": "eligible", "threshold_ratio": "0.5", "secret": "on",
    })
    vote = ProjectVote.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/votes/{vote.pk}/manage/"
    assert vote.secret and vote.status == VoteStatus.COLLECTING


def test_transition_pages_confirm_then_act_and_refusals_are_shown(staff, login):
    vote = ProjectVoteFactory(status=VoteStatus.SCREENING, seats=3)
    CandidateFactory(vote=vote, number=1)
    client = login(staff)
    assert "开始投票" in client.get(f"/votes/{vote.pk}/do/open/").content.decode()
    response = client.post(f"/votes/{vote.pk}/do/open/")
    assert response.status_code == 409
    assert "差额票决" in response.content.decode() or "投票开始和截止时间" in response.content.decode()
    vote.refresh_from_db()
    assert vote.status == VoteStatus.SCREENING
    response = client.post(f"/votes/{vote.pk}/do/reopen/", {"note": "延长征集"})
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.status == VoteStatus.COLLECTING
    assert client.get(f"/votes/{vote.pk}/do/nonsense/").status_code == 404


def test_other_roles_cannot_use_staff_pages(login, deputy_user, unit_user, township_staff, client):
    vote = ProjectVoteFactory()
    for user in (deputy_user, unit_user):
        assert login(user).get(f"/votes/{vote.pk}/manage/").status_code == 403
        assert login(user).get("/votes/new/").status_code == 403
    assert login(township_staff).get(f"/votes/{vote.pk}/manage/").status_code == 404
    assert client.get("/votes/").status_code == 302  # sign in first


def test_deputy_votes_through_the_form_with_a_confirmation_step(login):
    vote, (a, b, c, d), deputies = voting_vote(deputies=2, seats=2)
    user = deputy_account(deputies[0])
    client = login(user)
    home = client.get("/votes/").content.decode()
    assert "去投票" in home
    page = client.get(f"/votes/{vote.pk}/ballot/").content.decode()
    assert a.title in page and "最多只能赞成 2 个" in page
    marks = {f"c{a.pk}": "Y", f"c{b.pk}": "Y", f"c{c.pk}": "N", f"c{d.pk}": "A"}
    confirm = client.post(f"/votes/{vote.pk}/ballot/", marks)
    assert confirm.status_code == 200 and "核对选票" in confirm.content.decode()
    assert not Ballot.objects.exists()
    back = client.post(f"/votes/{vote.pk}/ballot/", {**marks, "confirm": "0"})
    assert back.status_code == 200 and 'id="ballot-form"' in back.content.decode()
    assert not Ballot.objects.exists()
    done = client.post(f"/votes/{vote.pk}/ballot/", {**marks, "confirm": "1"}, follow=True)
    assert "投票成功" in done.content.decode()
    assert services.ballot_lines(vote) == ["YYNA"]
    again = client.post(f"/votes/{vote.pk}/ballot/", {**marks, "confirm": "1"})
    assert again.status_code == 409 and "已经投过票" in again.content.decode()
    assert Ballot.objects.count() == 1


def test_ballot_form_refuses_too_many_approvals_and_missing_marks(login):
    vote, (a, b, c, d), deputies = voting_vote(deputies=1, seats=2)
    client = login(deputy_account(deputies[0]))
    too_many = client.post(f"/votes/{vote.pk}/ballot/", {f"c{x.pk}": "Y" for x in (a, b, c, d)} | {"confirm": "1"})
    assert too_many.status_code == 400 and "最多只能对 2 个项目投赞成票" in too_many.content.decode()
    missing = client.post(f"/votes/{vote.pk}/ballot/", {f"c{a.pk}": "Y", "confirm": "1"})
    assert missing.status_code == 400 and "请对这个项目选择" in missing.content.decode()
    assert not Ballot.objects.exists()
    # The summary at the top names each unmarked item and links to its first choice (issue 23).
    page = missing.content.decode()
    summary = page[page.index('id="error-summary"'):page.index("</div>", page.index('id="error-summary"'))]
    assert "有 3 处需要修改" in summary and page.index('id="error-summary"') < page.index('id="ballot-form"')
    for candidate in (b, c, d):
        assert f'href="#id_c{candidate.pk}_0"' in summary and candidate.title in summary
        assert f'id="id_c{candidate.pk}_0"' in page


def test_a_deputy_outside_the_electorate_gets_no_ballot(login):
    vote, _c, _d = voting_vote()
    outsider = deputy_account(DeputyFactory())
    assert login(outsider).get(f"/votes/{vote.pk}/ballot/").status_code == 404


def test_paper_voter_sees_why_they_cannot_vote_online(login, staff):
    vote, _c, deputies = voting_vote(deputies=2)
    user = deputy_account(deputies[0])
    services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff)
    html = login(user).get(f"/votes/{vote.pk}/ballot/").content.decode()
    assert "纸质选票" in html and 'id="ballot-form"' not in html


def test_staff_mark_paper_voters_and_enter_paper_ballots_through_pages(staff, login, make_user):
    vote, (a, b, c, d), deputies = voting_vote(deputies=3, seats=2)
    client = login(staff)
    response = client.post(f"/votes/{vote.pk}/voters/", {"deputy": [deputies[0].pk], "mode": "paper"})
    assert response.status_code == 302
    marks = {f"c{a.pk}": "Y", f"c{b.pk}": "N", f"c{c.pk}": "N", f"c{d.pk}": "A", "number": 1}
    assert client.post(f"/votes/{vote.pk}/paper/", marks).status_code == 302
    second = login(make_user("staff", username="staff2"))
    follow = second.post(f"/votes/{vote.pk}/paper/", marks, follow=True).content.decode()
    assert "两人录入一致，已计入" in follow
    assert services.ballot_lines(vote) == ["YNNA"]
    incomplete = client.post(f"/votes/{vote.pk}/paper/", {"number": 2, f"c{a.pk}": "Y"})
    assert incomplete.status_code == 400 and "逐项录入" in incomplete.content.decode()


def test_public_results_only_after_publication(staff, client):
    vote, candidates, deputies = voting_vote(deputies=2)
    assert client.get(f"/projects/votes/{vote.pk}/").status_code == 404
    assert client.get(f"/projects/votes/{vote.pk}/ballots.txt").status_code == 404
    vote, candidates, _users = published_vote(staff)
    html = client.get(f"/projects/votes/{vote.pk}/").content.decode()
    assert candidates[0].title in html and vote.result_digest in html and "当选" in html
    text = client.get(f"/projects/votes/{vote.pk}/ballots.txt").content.decode()
    import hashlib

    assert hashlib.sha256(text.encode()).hexdigest() == vote.result_digest
    assert client.get(f"/projects/{candidates[0].pk}/").status_code == 200
    assert client.get(f"/projects/{candidates[3].pk}/").status_code == 404  # not elected


def test_tampering_after_publication_shows_a_warning(staff, client, login):
    vote, candidates, _users = published_vote(staff)
    Ballot.objects.filter(vote=vote).update(content="YYYN")
    html = client.get(f"/projects/votes/{vote.pk}/").content.decode()
    assert "与公布时的摘要不一致" in html
    html = login(staff).get(f"/votes/{vote.pk}/results/").content.decode()
    assert "与公布时的摘要不一致" in html


def test_unit_answers_feasibility_and_reports_progress(staff, login, unit_user):
    vote = ProjectVoteFactory(status=VoteStatus.SCREENING)
    proposal = ProposalFactory(vote=vote, title="东街菜市场改造")
    request = services.request_feasibility(
        proposal, unit=unit_user.handling_unit, due_date=timezone.localdate() + timedelta(days=10), by=staff)
    client = login(unit_user)
    assert "东街菜市场改造" in client.get("/votes/").content.decode()
    response = client.post(f"/votes/feasibility/{request.pk}/", {"feasible": "1", "opinion": "可行"})
    assert response.status_code == 400 and "估算投资" in response.content.decode()
    response = client.post(f"/votes/feasibility/{request.pk}/", {
        "feasible": "1", "cost_estimate": "320", "responsible_unit": unit_user.handling_unit_id,
        "timeline": "当年完成", "opinion": "可行"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.is_answered and request.cost_estimate == 320
    other_unit = UserFactory(role="unit", handling_unit=HandlingUnitFactory(name="县水利局"))
    assert login(other_unit).get(f"/votes/feasibility/{request.pk}/").status_code == 404


def test_proposal_detail_adopts_a_candidate_with_the_departments_figures(staff, login, unit_user):
    vote = ProjectVoteFactory(status=VoteStatus.SCREENING)
    proposal = ProposalFactory(vote=vote, title="东街菜市场改造", location="城关镇东街")
    request = services.request_feasibility(
        proposal, unit=unit_user.handling_unit, due_date=timezone.localdate(), by=staff)
    services.answer_feasibility(request, by=unit_user, feasible=True, cost_estimate=320,
                                responsible_unit=unit_user.handling_unit, opinion="可行")
    client = login(staff)
    page = client.get(f"/votes/{vote.pk}/proposals/{proposal.pk}/")
    assert page.context["candidate_form"].initial["budget"] == 320
    response = client.post(f"/votes/{vote.pk}/proposals/{proposal.pk}/adopt/", {
        "title": "东街菜市场改造", "summary": "改造菜市场", "responsible_unit": unit_user.handling_unit_id,
        "budget": "320"})
    assert response.status_code == 302
    assert Candidate.objects.get(vote=vote).proposal == proposal


@pytest.mark.parametrize("count", [5, 60])
def test_staff_lists_run_a_bounded_number_of_queries(count, staff, login, django_assert_max_num_queries):
    vote, candidates, deputies = voting_vote(deputies=count, candidates=6)
    for i in range(count):
        ProposalFactory(vote=vote, deputy=deputies[i], source="deputy")
        ProjectVoteFactory()
    client = login(staff)
    for path in ["/votes/", f"/votes/{vote.pk}/proposals/", f"/votes/{vote.pk}/voters/",
                 f"/votes/{vote.pk}/manage/", f"/votes/{vote.pk}/paper/"]:
        with django_assert_max_num_queries(20):
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("count", [2, 30])
def test_public_pages_run_a_bounded_number_of_queries(count, staff, client, django_assert_max_num_queries):
    vote, candidates, _users = published_vote(staff, deputies=count)
    services.start_implementation(vote, by=staff)
    for candidate in candidates[:2]:
        for i in range(count // 2 + 1):
            services.add_milestone(candidate, by=staff, title=f"节点{i}", due_date=timezone.localdate())
    for path in ["/projects/", f"/projects/votes/{vote.pk}/", f"/projects/{candidates[0].pk}/"]:
        with django_assert_max_num_queries(12):
            assert client.get(path).status_code == 200, path


def test_open_mode_results_show_each_deputys_ballot_to_staff(staff, login):
    vote, (a, b, c, d), deputies = voting_vote(deputies=2, seats=2, secret=False)
    deputies[0].name = "记名代表甲"
    deputies[0].save()
    services.cast_ballot(vote, by=deputy_account(deputies[0]), approve=[a.pk, c.pk])
    services.close_voting(vote, by=staff)
    html = login(staff).get(f"/votes/{vote.pk}/results/").content.decode()
    assert 'id="recorded-ballots"' in html and "记名代表甲" in html and "YNYN" in html


def test_secret_mode_results_show_no_one(staff, login):
    vote, (a, *_), deputies = voting_vote(deputies=2, seats=2)
    deputies[0].name = "无记名代表乙"
    deputies[0].save()
    services.cast_ballot(vote, by=deputy_account(deputies[0]), approve=[a.pk])
    services.close_voting(vote, by=staff)
    html = login(staff).get(f"/votes/{vote.pk}/results/").content.decode()
    assert 'id="recorded-ballots"' not in html and "无记名代表乙" not in html
