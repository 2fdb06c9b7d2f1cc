"""The API exactly as issue 6 writes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DeputyFactory, UserFactory
from tests.votes.factories import ProjectVoteFactory, deputy_account, voting_vote
from votes import services
from votes.models import Ballot, VoteStatus

pytestmark = pytest.mark.django_db


def post_ballot(client, vote, body):
    return client.post(f"/api/v1/votes/{vote.pk}/ballots/", body, content_type="application/json")


def test_list_and_detail_carry_status_seats_and_candidate_ids(login):
    vote, candidates, deputies = voting_vote(deputies=2, candidates=4, seats=3)
    client = login(deputy_account(deputies[0]))
    body = client.get("/api/v1/votes/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == vote.pk
    detail = client.get(f"/api/v1/votes/{vote.pk}/").json()
    assert detail["status"] == "voting" and detail["seats"] == 3
    assert [c["id"] for c in detail["candidates"]] == [c.pk for c in candidates]
    assert detail["my_ballot"] == {"eligible": True, "voted": False, "channel": "online",
                                   "can_vote": True, "reason": ""}


def test_ballot_201_then_409_and_too_many_400(login):
    vote, (a, b, c, d), deputies = voting_vote(deputies=2, seats=2)
    client = login(deputy_account(deputies[0]))
    too_many = post_ballot(client, vote, {"approve": [a.pk, b.pk, c.pk]})
    assert too_many.status_code == 400 and "最多只能对 2 个项目投赞成票" in too_many.json()["detail"]
    created = post_ballot(client, vote, {"approve": [a.pk, b.pk], "abstain": [d.pk]})
    assert created.status_code == 201
    assert created.json()["approved"] == 2 and created.json()["abstained"] == 1
    assert "id" not in created.json()  # no ballot id handed out
    second = post_ballot(client, vote, {"approve": [c.pk]})
    assert second.status_code == 409
    assert services.ballot_lines(vote) == ["YYNA"]
    detail = client.get(f"/api/v1/votes/{vote.pk}/").json()
    assert detail["my_ballot"]["voted"] is True and detail["my_ballot"]["can_vote"] is False


@pytest.mark.parametrize("body", [
    {}, {"approve": "1"}, {"approve": ["x"]}, {"approve": [999999]}, {"approve": [], "abstain": [999999]},
])
def test_malformed_ballots_are_400_and_record_nothing(login, body):
    vote, _c, deputies = voting_vote(deputies=1)
    response = post_ballot(login(deputy_account(deputies[0])), vote, body)
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_unlisted_candidates_count_as_against(login):
    vote, (a, b, c, d), deputies = voting_vote(deputies=1, seats=2)
    assert post_ballot(login(deputy_account(deputies[0])), vote, {"approve": []}).status_code == 201
    assert services.ballot_lines(vote) == ["NNNN"]


def test_ineligible_and_wrong_roles_are_refused(login, staff, unit_user, client):
    vote, (a, *_), _deputies = voting_vote(deputies=1)
    outsider = deputy_account(DeputyFactory())
    response = post_ballot(login(outsider), vote, {"approve": [a.pk]})
    assert response.status_code == 403 and "不在本次票决" in response.json()["detail"]
    assert post_ballot(login(staff), vote, {"approve": [a.pk]}).status_code == 403
    assert post_ballot(login(unit_user), vote, {"approve": [a.pk]}).status_code == 403
    assert post_ballot(client, vote, {"approve": [a.pk]}).status_code in (401, 403)
    assert not Ballot.objects.exists()


def test_closed_window_is_409(login):
    vote, (a, *_), deputies = voting_vote(deputies=1)
    vote.closes_at = timezone.now() - timedelta(seconds=1)
    vote.opens_at = vote.closes_at - timedelta(hours=1)
    vote.save()
    response = post_ballot(login(deputy_account(deputies[0])), vote, {"approve": [a.pk]})
    assert response.status_code == 409 and "截止" in response.json()["detail"]


def test_results_404_until_published_except_to_staff(login, staff, client):
    vote, (a, b, c, d), deputies = voting_vote(deputies=3, seats=2)
    users = [deputy_account(x) for x in deputies]
    for user in users:
        post_ballot(login(user), vote, {"approve": [a.pk, b.pk]})
    assert client.get(f"/api/v1/votes/{vote.pk}/results/").status_code == 404
    assert login(users[0]).get(f"/api/v1/votes/{vote.pk}/results/").status_code == 404
    during = login(staff).get(f"/api/v1/votes/{vote.pk}/results/")
    assert during.status_code == 200
    assert during.json()["counted"] is False and during.json()["cast"] == 3 and "candidates" not in during.json()
    services.close_voting(vote, by=staff)
    closed = login(staff).get(f"/api/v1/votes/{vote.pk}/results/").json()
    assert closed["counted"] is True
    services.publish_results(vote, by=staff)
    public = client.get(f"/api/v1/votes/{vote.pk}/results/")
    assert public.status_code == 200
    body = public.json()
    assert body["eligible"] == 3 and body["cast"] == 3 and body["turnout_percent"] == 100.0
    assert body["threshold"]["min_approvals"] == 2
    assert set(body["elected"]) == {a.pk, b.pk}
    assert body["digest"] == body["published_digest"] and len(body["digest"]) == 64
    assert body["runoff"] is None
    rows = {row["id"]: row for row in body["candidates"]}
    assert rows[a.pk]["approve"] == 3 and rows[c.pk]["against"] == 3


def test_the_public_lists_only_published_and_collecting_votes(client):
    ProjectVoteFactory(status=VoteStatus.SCREENING)
    collecting = ProjectVoteFactory(status=VoteStatus.COLLECTING)
    published = ProjectVoteFactory(status=VoteStatus.PUBLISHED)
    body = client.get("/api/v1/votes/").json()
    assert {row["id"] for row in body["results"]} == {collecting.pk, published.pk}
    assert client.get(f"/api/v1/votes/{collecting.pk}/").json()["candidates"] == []


def test_township_staff_and_other_deputies_do_not_see_other_votes(login, township_staff):
    vote, _c, _d = voting_vote()
    assert login(township_staff).get(f"/api/v1/votes/{vote.pk}/").status_code == 404
    outsider = deputy_account(DeputyFactory(level="township"))
    assert login(outsider).get(f"/api/v1/votes/{vote.pk}/").status_code == 404
    assert login(UserFactory(role="staff")).get(f"/api/v1/votes/{vote.pk}/").status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_list_runs_a_bounded_number_of_queries(count, login, django_assert_max_num_queries):
    deputy = DeputyFactory()
    user = deputy_account(deputy)
    for _ in range(count):
        vote, _c, _d = voting_vote(deputies=1, candidates=3)
        from votes.models import VoterRecord

        VoterRecord.objects.create(vote=vote, deputy=deputy)
    client = login(user)
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/votes/?page_size=100").json()
    assert body["count"] == count


def test_schema_documents_the_ballot_endpoint(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/votes/{id}/ballots/" in schema and "/api/v1/votes/{id}/results/" in schema
