"""The demo votes: last year's published and implementing, this year's open to the demo deputy."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from divisions.models import Congress
from votes import services, tally
from votes.models import Ballot, ProgressReport, ProjectVote, VoteStatus
from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_votes_once_and_the_demo_deputy_can_vote():
    load_demo()  # what seed_demo made (in this process, once); running it again adds nothing
    counts = (ProjectVote.objects.count(), Ballot.objects.count(), ProgressReport.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (ProjectVote.objects.count(), Ballot.objects.count(), ProgressReport.objects.count()) == counts

    last = ProjectVote.objects.get(year=2025, congress=Congress.objects.default())
    assert last.status == VoteStatus.IMPLEMENTING and last.published_at
    assert last.result_digest == tally.digest(services.ballot_lines(last))
    assert last.candidates.elected().count() == last.seats
    assert ProgressReport.objects.filter(candidate__vote=last).count() > last.seats * 5
    assert services.evaluation_summary(last)[0].rated > 0
    assert last.candidates.late(timezone.localdate()).exists()

    current = ProjectVote.objects.get(year=2026, congress=Congress.objects.default())
    assert current.status == VoteStatus.VOTING and current.is_open()
    user = get_user_model().objects.get(username="deputy")
    record = services.voter_record(current, user)
    assert record is not None and not record.voted and record.channel == "online"
    assert current.candidates.count() > current.seats

    client = Client()
    client.force_login(user)
    detail = client.get(f"/api/v1/votes/{current.pk}/").json()
    assert detail["my_ballot"]["can_vote"] is True
    approve = [c["id"] for c in detail["candidates"][: current.seats]]
    response = client.post(f"/api/v1/votes/{current.pk}/ballots/", {"approve": approve},
                           content_type="application/json")
    assert response.status_code == 201

    public = Client()
    assert public.get(f"/projects/votes/{last.pk}/").status_code == 200
    text = public.get(f"/projects/votes/{last.pk}/ballots.txt").content
    assert hashlib.sha256(text).hexdigest() == last.result_digest
    assert ProjectVote.objects.collecting().exists()
    assert "推荐民生实事项目" in public.get("/projects/propose/").content.decode()
