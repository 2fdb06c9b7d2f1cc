"""Issue 22, item 13: a deputy whose seat ended (届满, 辞职, 罢免, 调离) loses the deputy
functions of that seat. One with no seat in force left cannot sign in or open deputy pages (pages
and API answer 403); no one casts a ballot in a congress where their seat has ended; the
electorate fixed when voting opened does not change and the result pages say how many seats
ended meanwhile."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from deputies.models import Seat
from divisions.models import Congress, Region
from tests.votes.factories import deputy_account, voting_vote
from votes import services
from votes.models import Ballot, VoterRecord


def end_seats(deputy, reason=Seat.EndReason.RESIGNED, **which):
    Seat.objects.filter(deputy=deputy, **which).update(
        status=Seat.Status.ENDED, ended_on=timezone.localdate(), end_reason=reason)


@pytest.fixture
def vote_setup(db):
    vote, candidates, deputies = voting_vote(deputies=4, candidates=3, seats=2)
    return vote, candidates, deputies, [deputy_account(d) for d in deputies]


def test_a_deputy_whose_seat_ended_cannot_cast_a_ballot(vote_setup):
    vote, (a, *_), deputies, users = vote_setup
    end_seats(deputies[0], Seat.EndReason.RECALLED)
    with pytest.raises(PermissionDenied) as error:
        services.cast_ballot(vote, by=users[0], approve=[a.pk])
    assert "代表资格已终止" in str(error.value)
    assert not Ballot.objects.exists()
    assert not VoterRecord.objects.get(vote=vote, deputy=deputies[0]).voted
    services.cast_ballot(vote, by=users[1], approve=[a.pk])  # the others still vote


def test_the_ballot_page_refuses_too(vote_setup, client):
    vote, (a, *_), deputies, users = vote_setup
    end_seats(deputies[0])
    client.force_login(users[0])
    answer = client.post(reverse("votes:ballot", args=[vote.pk]), {"approve": [a.pk]})
    assert answer.status_code == 403
    assert not Ballot.objects.exists()


def test_the_electorate_stays_and_the_results_say_how_many_seats_ended(vote_setup, staff, login):
    vote, (a, *_), deputies, users = vote_setup
    services.cast_ballot(vote, by=users[1], approve=[a.pk])
    end_seats(deputies[0], Seat.EndReason.TRANSFERRED)
    end_seats(deputies[1], Seat.EndReason.TERM_ENDED)  # after voting: the ballot stays
    figures = services.turnout(vote)
    assert figures["eligible"] == 4 and figures["cast"] == 1 and figures["seats_ended"] == 2
    page = login(staff).get(reverse("votes:results", args=[vote.pk])).content.decode()
    assert "投票开始后有 2 名代表的代表资格终止" in page


def test_a_deputy_with_no_seat_left_cannot_sign_in_or_use_deputy_pages(vote_setup, client):
    _vote, _candidates, deputies, users = vote_setup
    signed_in = client
    signed_in.force_login(users[0])
    assert signed_in.get(reverse("votes:home")).status_code == 200
    end_seats(deputies[0])
    assert signed_in.get(reverse("votes:home")).status_code == 403
    assert signed_in.get(reverse("visit-list")).status_code == 403
    from django.test import Client

    fresh = Client()
    answer = fresh.post(reverse("accounts:login"), {"username": users[0].username, "password": "correct-horse-9"})
    assert answer.status_code == 200
    assert "代表资格已终止" in answer.content.decode()
    assert "_auth_user_id" not in fresh.session


def test_a_deputy_who_still_sits_elsewhere_keeps_the_account_but_not_that_congress(vote_setup, client):
    vote, (a, *_), deputies, users = vote_setup
    city = Region.objects.create(name="测试市", level="city", kind="市") if not Region.objects.filter(
        level="city").exists() else Region.objects.get(level="city")
    Seat.objects.create(deputy=deputies[0], level="city", congress=Congress.objects.of(city), term=1)
    end_seats(deputies[0], congress=vote.congress)
    client.force_login(users[0])
    assert client.get(reverse("votes:home")).status_code == 200
    with pytest.raises(PermissionDenied):
        services.cast_ballot(vote, by=users[0], approve=[a.pk])
