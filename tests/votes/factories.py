from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import CongressSessionFactory, DeputyFactory, HandlingUnitFactory, congress_of
from votes.models import Candidate, Proposal, ProposalSource, ProjectVote, VoteStatus


class ProjectVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectVote

    class Params:
        level = "county"
        township = None

    title = factory.Sequence(lambda n: f"{2026 + n}年县级民生实事项目票决")
    year = factory.Sequence(lambda n: 2026 + n)
    congress = factory.LazyAttribute(lambda o: congress_of(o.level, o.township))
    term = 18
    session = factory.SubFactory(CongressSessionFactory)
    seats = 3
    status = VoteStatus.COLLECTING


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    vote = factory.SubFactory(ProjectVoteFactory)
    title = factory.Sequence(lambda n: f"建议项目{n}")
    description = "改造村道，解决群众出行难。"
    source = ProposalSource.PUBLIC


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    vote = factory.SubFactory(ProjectVoteFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"候选项目{n}")
    summary = "项目简介"
    responsible_unit = factory.SubFactory(HandlingUnitFactory)
    budget = 100


def voting_vote(*, deputies=5, candidates=4, seats=3, secret=True, township=None, **fields):
    """A vote in status `voting` with an open window, its candidates numbered 1..n and an
    electorate of `deputies` county deputies (returned as (vote, candidates, deputies))."""
    from votes.models import VoterRecord

    now = timezone.now()
    vote = ProjectVoteFactory(
        seats=seats, secret=secret, status=VoteStatus.VOTING,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=2), **fields,
    )
    items = [CandidateFactory(vote=vote, number=i + 1) for i in range(candidates)]
    people = [DeputyFactory(**({"township": township} if township else {})) for _ in range(deputies)]
    VoterRecord.objects.bulk_create([VoterRecord(vote=vote, deputy=d) for d in people])
    vote.eligible_count = len(people)
    vote.save(update_fields=["eligible_count"])
    return vote, items, people


def deputy_account(deputy):
    """A sign-in account for a deputy of the registry."""
    from tests.factories import UserFactory

    user = UserFactory(role="deputy", username=f"d{deputy.pk}", name=deputy.name)
    deputy.user = user
    deputy.save(update_fields=["user"])
    return user
