"""The electorate is reminded once when a vote closes within a day, every deputy alike (nothing
tells who has voted)."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from tests.votes.factories import deputy_account, voting_vote
from votes import services, tasks


@pytest.mark.django_db
def test_closing_reminder_goes_once_to_every_deputy_voted_or_not():
    vote, candidates, deputies = voting_vote(deputies=3, candidates=4, seats=3)
    users = [deputy_account(d) for d in deputies]
    services.cast_ballot(vote, by=users[0], approve=[candidates[0].pk])
    assert settings.CELERY_BEAT_SCHEDULE["votes-closing-reminders-hourly"]["task"] == "votes.tasks.send_closing_reminders"
    assert tasks.send_closing_reminders.delay().get() == 3
    assert services.send_closing_reminders() == 0
    call_command("votes_notify", vote.pk, "closing", stdout=io.StringIO())
    notes = Notification.objects.filter(kind="vote_closing")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users)
    note = notes.first()
    assert note.title == "民生实事项目票决即将截止" and vote.title in note.body and "截止投票" in note.body


@pytest.mark.django_db
def test_no_reminder_for_a_vote_closing_later_or_already_closed():
    vote, _candidates, deputies = voting_vote(deputies=1)
    deputy_account(deputies[0])
    vote.closes_at = timezone.now() + timedelta(hours=30)
    vote.save(update_fields=["closes_at"])
    assert services.send_closing_reminders() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=7)):
        assert services.send_closing_reminders() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=31)):
        assert services.send_closing_reminders() == 0
