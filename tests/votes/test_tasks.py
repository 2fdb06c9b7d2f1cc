"""The votes tasks: thin, idempotent, scheduled by name, each with a management command; the
monthly progress reminder also through a real worker on Redis."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core import outbox
from notifications.models import Notification
from tests.factories import HandlingUnitFactory, UserFactory
from tests.services.conftest import celery_worker_process, wait_for  # noqa: F401 (fixture)
from tests.votes.factories import deputy_account, voting_vote
from votes import services, tasks
from votes.models import Ballot, Candidate


def implementing_project():
    unit = HandlingUnitFactory(name="县水利局")
    unit_user = UserFactory(role="unit", username="shuili", handling_unit=unit)
    staff = UserFactory(role="staff", username="teller")
    vote, candidates, deputies = voting_vote(deputies=1, candidates=2, seats=1)
    Candidate.objects.filter(vote=vote).update(responsible_unit=unit)
    services.cast_ballot(vote, by=deputy_account(deputies[0]), approve=[candidates[0].pk])
    services.close_voting(vote, by=staff)
    services.publish_results(vote, by=staff)
    services.start_implementation(vote, by=staff)
    return vote, unit_user


def test_beat_schedule_names_and_tasks():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["votes-progress-reminders-monthly"]["task"] == "votes.tasks.send_progress_reminders"
    assert schedule["votes-mix-ballots"]["task"] == "votes.tasks.mix_ballots"
    for task in (tasks.mix_ballots, tasks.send_progress_reminders, tasks.notify_electorate,
                 tasks.notify_project_units):
        assert task.acks_late


@pytest.mark.django_db
def test_tasks_and_commands_are_idempotent():
    vote, unit_user = implementing_project()
    day = timezone.localdate().isoformat()
    assert tasks.send_progress_reminders.delay(day=day).get() == 1
    assert tasks.send_progress_reminders.delay(day=day).get() == 0
    out = io.StringIO()
    call_command("votes_progress_reminders", day=day, stdout=out)
    assert "0 条" in out.getvalue()
    assert Notification.objects.filter(recipient=unit_user, kind="vote_progress_due").count() == 1
    # Electorate notices: once per deputy and event, however often they are sent.
    assert tasks.notify_electorate.delay(vote_id=vote.pk, event="published").get() == 1
    assert tasks.notify_electorate.delay(vote_id=vote.pk, event="published").get() == 0
    call_command("votes_notify", vote.pk, "published", stdout=io.StringIO())
    assert Notification.objects.filter(kind="vote_published").count() == 1
    assert tasks.notify_project_units.delay(vote_id=vote.pk).get() == 1
    assert tasks.notify_project_units.delay(vote_id=vote.pk).get() == 0
    assert Notification.objects.filter(recipient=unit_user, kind="vote_project_assigned").count() == 1


@pytest.mark.django_db
def test_mixing_task_and_command():
    vote, candidates, deputies = voting_vote(deputies=3)
    for deputy in deputies:
        services.cast_ballot(vote, by=deputy_account(deputy), approve=[candidates[0].pk])
    before = set(Ballot.objects.values_list("id", flat=True))
    assert tasks.mix_ballots.delay().get() == 3
    assert not before & set(Ballot.objects.values_list("id", flat=True))
    out = io.StringIO()
    call_command("votes_mix_ballots", stdout=out)
    assert "0 张" in out.getvalue()


@pytest.mark.services
def test_the_monthly_reminder_runs_on_a_real_worker(celery_worker_process):  # noqa: F811
    vote, unit_user = implementing_project()
    with transaction.atomic():
        outbox.enqueue("votes.tasks.send_progress_reminders", day=timezone.localdate().isoformat())
    assert wait_for(lambda: Notification.objects.filter(recipient=unit_user, kind="vote_progress_due").count() == 1)
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=25)
    with transaction.atomic():
        outbox.enqueue("votes.tasks.send_progress_reminders", day=next_month.isoformat())
        outbox.enqueue("votes.tasks.send_progress_reminders", day=next_month.isoformat())
    assert wait_for(lambda: Notification.objects.filter(recipient=unit_user, kind="vote_progress_due").count() == 2)
    assert Notification.objects.filter(recipient=unit_user, kind="vote_progress_due").count() == 2
