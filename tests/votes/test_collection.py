"""Collecting (public page without JavaScript, stations, deputies, departments) and screening."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError, TransitionNotAllowed
from tests.factories import HandlingUnitFactory, UserFactory
from tests.votes.factories import CandidateFactory, ProjectVoteFactory, ProposalFactory
from notifications.models import Notification
from votes import services
from votes.models import Proposal, ProposalSource, ProposalStatus, VoteStatus

pytestmark = pytest.mark.django_db

GOOD = {"title": "西河村道路硬化", "description": "西河村到镇上的3公里土路，雨天无法通行。",
        "location": "青山镇西河村", "beneficiaries": "西河村 1200 名村民", "website": ""}


@pytest.fixture
def collecting():
    return ProjectVoteFactory(status=VoteStatus.COLLECTING, title="2027年县级民生实事项目征集")


def test_the_public_proposes_without_an_account_or_javascript(client, collecting):
    page = client.get("/projects/propose/").content.decode()
    assert "推荐民生实事项目" in page and "<script" not in page
    response = client.post("/projects/propose/", {**GOOD, "vote": collecting.pk,
                                                  "contact_name": "王大伯", "contact_phone": "13812345678"})
    assert response.status_code == 302 and response["Location"] == "/projects/propose/thanks/"
    proposal = Proposal.objects.get()
    assert proposal.source == ProposalSource.PUBLIC and proposal.submitted_by is None
    assert proposal.masked_phone == "138****5678"


def test_bad_public_input_is_400_with_chinese_messages_and_saves_nothing(client, collecting):
    response = client.post("/projects/propose/", {"vote": collecting.pk, "title": "", "description": "",
                                                  "contact_phone": "123", "website": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请写上项目名称" in html and "请写一写这个项目要解决什么问题" in html  # how to fix it
    assert "请输入11位手机号码" in html
    assert not Proposal.objects.exists()


def test_the_honeypot_rate_limit_and_duplicates_refuse_and_save_nothing(client, collecting, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    robot = client.post("/projects/propose/", {**GOOD, "vote": collecting.pk, "website": "http://spam"})
    assert robot.status_code == 400 and not Proposal.objects.exists()
    assert client.post("/projects/propose/", {**GOOD, "vote": collecting.pk}).status_code == 302
    duplicate = client.post("/projects/propose/", {**GOOD, "vote": collecting.pk, "title": "西河村道路硬化 "})
    assert duplicate.status_code == 400 and "请勿重复提交" in duplicate.content.decode()
    third = client.post("/projects/propose/", {**GOOD, "vote": collecting.pk, "title": "另一个项目"})
    assert third.status_code == 429 and "每小时最多提交2次" in third.content.decode()
    assert Proposal.objects.count() == 1


def test_nothing_can_be_proposed_once_collection_ended(client, collecting):
    collecting.status = VoteStatus.SCREENING
    collecting.save()
    page = client.get("/projects/propose/").content.decode()
    assert "目前没有正在征集" in page
    response = client.post("/projects/propose/", {**GOOD, "vote": collecting.pk})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_deputies_and_departments_propose_from_their_accounts(login, deputy_user, unit_user, collecting):
    for user in (deputy_user, unit_user):
        response = login(user).post(f"/votes/{collecting.pk}/propose/", {**GOOD, "title": f"{user.username}的项目"})
        assert response.status_code == 302
    by_deputy = Proposal.objects.get(title="deputy1的项目")
    assert by_deputy.source == ProposalSource.DEPUTY and by_deputy.deputy == deputy_user.deputy
    by_unit = Proposal.objects.get(title="unit1的项目")
    assert by_unit.source == ProposalSource.DEPARTMENT and by_unit.handling_unit == unit_user.handling_unit


def test_staff_list_shows_every_source(login, staff, collecting, deputy_user):
    ProposalFactory(vote=collecting, title="群众建议A", source=ProposalSource.PUBLIC)
    ProposalFactory(vote=collecting, title="站点建议B", source=ProposalSource.STATION, station_name="城关镇代表之家")
    ProposalFactory(vote=collecting, title="代表建议C", source=ProposalSource.DEPUTY, deputy=deputy_user.deputy)
    html = login(staff).get(f"/votes/{collecting.pk}/proposals/").content.decode()
    for text in ["群众网上推荐", "代表联络站", "城关镇代表之家", "人大代表", "张三丽"]:
        assert text in html
    filtered = login(staff).get(f"/votes/{collecting.pk}/proposals/?source=station")
    assert [p.title for p in filtered.context["proposals"]] == ["站点建议B"]


def test_merge_reject_and_candidate_list(staff, collecting):
    target = ProposalFactory(vote=collecting, title="西河村道路硬化")
    dupes = [ProposalFactory(vote=collecting, title="西河村修路"), ProposalFactory(vote=collecting, title="修西河路")]
    services.merge_proposals(target, duplicates=dupes, by=staff)
    assert set(Proposal.objects.filter(status=ProposalStatus.MERGED).values_list("merged_into", flat=True)) == {target.pk}
    with pytest.raises(TransitionNotAllowed):
        services.merge_proposals(target, duplicates=dupes, by=staff)
    other = ProposalFactory(vote=collecting)
    with pytest.raises(DomainError):
        services.reject_proposal(other, by=staff, reason=" ")
    services.reject_proposal(other, by=staff, reason="属于部门日常工作，不列入民生实事")
    candidate = services.add_candidate(collecting, by=staff, proposal=target, title=target.title, summary="硬化3公里")
    target.refresh_from_db()
    assert target.status == ProposalStatus.CANDIDATE and candidate.number == 1
    second = services.add_candidate(collecting, by=staff, title="新增公厕", summary="…")
    assert second.number == 2
    services.remove_candidate(candidate, by=staff)
    target.refresh_from_db()
    second.refresh_from_db()
    assert target.status == ProposalStatus.NEW and second.number == 1


def test_feasibility_request_notifies_the_unit_and_only_it_answers(staff, collecting, unit_user):
    proposal = ProposalFactory(vote=collecting)
    request = services.request_feasibility(
        proposal, unit=unit_user.handling_unit, due_date=timezone.localdate() + timedelta(days=7), by=staff)
    assert Notification.objects.filter(recipient=unit_user, kind="vote_feasibility_requested").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.request_feasibility(proposal, unit=unit_user.handling_unit,
                                     due_date=timezone.localdate(), by=staff)
    stranger = UserFactory(role="unit", handling_unit=HandlingUnitFactory(name="县民政局"))
    with pytest.raises(PermissionDenied):
        services.answer_feasibility(request, by=stranger, feasible=False, opinion="x")
    services.answer_feasibility(request, by=unit_user, feasible=False, opinion="土地权属不清")
    with pytest.raises(TransitionNotAllowed):
        services.answer_feasibility(request, by=unit_user, feasible=True, cost_estimate=1)
    assert Notification.objects.filter(recipient=staff, kind="vote_feasibility_answered").count() == 1


def test_candidates_cannot_change_once_voting_opened(staff):
    vote = ProjectVoteFactory(status=VoteStatus.VOTING)
    candidate = CandidateFactory(vote=vote, number=1)
    with pytest.raises(TransitionNotAllowed):
        services.add_candidate(vote, by=staff, title="x", summary="y")
    with pytest.raises(TransitionNotAllowed):
        services.update_candidate(candidate, by=staff, title="改名")
    with pytest.raises(TransitionNotAllowed):
        services.remove_candidate(candidate, by=staff)


def test_public_index_shows_collecting_and_published_votes(client, collecting):
    published = ProjectVoteFactory(status=VoteStatus.IMPLEMENTING, title="2026年县级民生实事项目票决")
    CandidateFactory(vote=published, number=1, elected=True, title="城区学校扩容", progress_percent=60)
    CandidateFactory(vote=published, number=2, elected=False, title="未当选项目")
    html = client.get("/projects/").content.decode()
    assert collecting.title in html and "我要推荐项目" in html
    assert "城区学校扩容" in html and "60%" in html and "未当选项目" not in html


def test_staff_type_in_offline_proposals_while_screening(login, staff, collecting):
    collecting.status = VoteStatus.SCREENING
    collecting.save()
    response = login(staff).post(f"/votes/{collecting.pk}/proposals/enter/", GOOD)
    assert response.status_code == 302 and response["Location"] == f"/votes/{collecting.pk}/proposals/"
    proposal = Proposal.objects.get()
    assert proposal.source == ProposalSource.STAFF and proposal.submitted_by == staff
