"""Secret mode: with full database access, no ballot row can be joined to its voter.

The link could hide in a column (a voter id, a timestamp, a sequential id), in an id stored
elsewhere (audit log, notifications, timeline), in the physical row order, or, on PostgreSQL,
in the transaction id (xmin) that the ballot shares with the who-voted record written beside
it. Each is checked against a known casting order."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from audit.models import AuditEntry
from notifications.models import Notification
from tests.votes.factories import deputy_account, voting_vote
from votes import services
from votes.models import Ballot, VoteEvent, VoterRecord

DEPUTIES = 12


def test_the_ballot_table_holds_no_voter_time_channel_or_sequence(db):
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "votes_ballot")}
    assert columns == {"id", "vote_id", "content", "voter_id"}  # voter_id: open mode only
    for field in Ballot._meta.concrete_fields:
        assert not isinstance(field, (models.DateField, models.TimeField, models.AutoField)), field
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    targets = {f.name: f.related_model._meta.label for f in Ballot._meta.concrete_fields if f.is_relation}
    assert targets == {"vote": "votes.ProjectVote", "voter": "deputies.Deputy"}
    # The who-voted side records no moment either.
    assert {f.name for f in VoterRecord._meta.concrete_fields} == {"id", "vote", "deputy", "channel", "voted"}


def _cast_in_known_order(vote, candidates, users):
    """Deputy i approves the candidates of i's binary digits, so every ballot is recognisable."""
    order = []
    for i, user in enumerate(users):
        approve = [c.pk for bit, c in enumerate(candidates) if (i + 1) >> bit & 1][: vote.seats]
        line = services.cast_ballot(vote, by=user, approve=approve)
        order.append(line)
    assert len(set(order)) == len(order)
    return order


def _physical_order(table):
    key = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {key}")
        return [row[0] for row in cursor.fetchall()]


def _lines_by(ballot_ids):
    """Ballot contents in the order of the given ids (UUIDs, or hex as SQLite stores them)."""
    content = {b.hex: c for b, c in Ballot.objects.values_list("id", "content")}
    return [content[str(b).replace("-", "")] for b in ballot_ids]


def _xmins(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table}")
        return {row[0] for row in cursor.fetchall()}


def _all_text_outside_ballots():
    """Every value of every other table, as text (what a DBA could grep)."""
    skip = {"votes_ballot"}
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in skip:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            dump.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(dump).replace("-", "").lower()


@pytest.mark.django_db(transaction=True)
def test_no_ballot_row_can_be_joined_to_its_voter():
    vote, candidates, deputies = voting_vote(deputies=DEPUTIES, candidates=4, seats=3)
    users = [deputy_account(d) for d in deputies]
    events, notes = VoteEvent.objects.count(), Notification.objects.count()
    cast_order = _cast_in_known_order(vote, candidates, users)

    # Casting wrote nothing about the ballot anywhere else: no timeline entry, no notification,
    # no audit entry for ballots, their contents or who-voted records.
    assert VoteEvent.objects.count() == events and Notification.objects.count() == notes
    hidden = [ContentType.objects.get_for_model(m) for m in (Ballot, VoterRecord)]
    assert not AuditEntry.objects.filter(content_type__in=hidden).exists()
    assert not Ballot.objects.filter(voter__isnull=False).exists()

    if connection.vendor == "postgresql":
        # The threat mixing removes: right after casting, each ballot shares its transaction id
        # with the voter record claimed in the same transaction.
        assert _xmins("votes_ballot") & _xmins("votes_voterrecord")

    services.mix_pending_ballots()  # what beat runs every minute while voting is open

    ballot_ids = list(Ballot.objects.values_list("id", flat=True))
    # 1. No ballot id is stored anywhere else in the database.
    dump = _all_text_outside_ballots()
    for ballot_id in ballot_ids:
        assert ballot_id.hex not in dump
    # 2. Neither the id order nor the physical row order follows the casting order (12! orders).
    by_id = _lines_by(sorted(ballot_ids, key=str))
    by_position = _lines_by(_physical_order("votes_ballot"))
    assert sorted(by_id) == sorted(cast_order)
    assert by_id != cast_order and by_position != cast_order
    assert by_position != list(reversed(cast_order))
    # 3. No column pairs a ballot with a voter record: the only shared value is the vote.
    ballot_values = {str(v) for row in Ballot.objects.values_list("id", "voter_id") for v in row if v}
    voter_values = {str(v) for row in VoterRecord.objects.values_list("id", "deputy_id") for v in row}
    assert not ballot_values & voter_values
    if connection.vendor == "postgresql":
        # 4. After mixing, no ballot shares a transaction id with any voter record.
        assert not _xmins("votes_ballot") & _xmins("votes_voterrecord")
        assert len(_xmins("votes_ballot")) == 1  # all rewritten together


@pytest.mark.django_db(transaction=True)
def test_publishing_mixes_and_the_published_list_names_no_one(client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import UserFactory

    vote, candidates, deputies = voting_vote(deputies=5, candidates=3, seats=1)
    users = [deputy_account(d) for d in deputies]
    for user in users:
        services.cast_ballot(vote, by=user, approve=[candidates[0].pk])
    staff = UserFactory(role="staff", username="teller")
    vote.closes_at = timezone.now() - timedelta(seconds=1)
    vote.save(update_fields=["closes_at"])
    before = set(Ballot.objects.values_list("id", flat=True))
    services.publish_results(vote, by=staff)
    assert not before & set(Ballot.objects.values_list("id", flat=True))
    text = client.get(f"/projects/votes/{vote.pk}/ballots.txt").content.decode()
    assert text == "YNN\n" * 5
    body = client.get(f"/api/v1/votes/{vote.pk}/results/").json()
    flat = str(body)
    for ballot_id in Ballot.objects.values_list("id", flat=True):
        assert str(ballot_id) not in flat and ballot_id.hex not in flat
    for deputy in deputies:
        assert deputy.name not in flat


def test_ballot_models_are_not_audited_or_admin_editable(db):
    from django.contrib import admin

    from audit.registry import _registered

    for model in (Ballot, VoterRecord):
        assert model not in _registered
        assert not admin.site.is_registered(model)
    assert apps.get_model("votes", "Ballot") is Ballot
