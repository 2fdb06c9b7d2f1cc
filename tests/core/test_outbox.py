from unittest import mock

import pytest
from django.db import OperationalError, transaction

from core import outbox
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def test_enqueued_task_runs_after_commit_and_is_marked_sent():
    with mock.patch("core.outbox._send") as send:
        with transaction.atomic():
            outbox.enqueue("core.tasks.flush_outbox")
            assert send.call_count == 0
        assert send.call_count == 1
    assert OutboxMessage.objects.get().sent_at is not None


def test_rolled_back_transaction_publishes_nothing():
    with mock.patch("core.outbox._send") as send:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                outbox.enqueue("core.tasks.flush_outbox")
                raise RuntimeError
    assert send.call_count == 0
    assert not OutboxMessage.objects.exists()


def test_message_survives_a_broker_outage_and_is_flushed_later():
    with mock.patch("core.outbox._send", side_effect=ConnectionError("redis down")):
        with transaction.atomic():
            outbox.enqueue("core.tasks.flush_outbox")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "redis down" in message.last_error

    with mock.patch("core.outbox._send") as send:
        assert outbox.flush(older_than=outbox.timedelta(0)) == 1
    assert send.call_count == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    # A second flush finds nothing left to send.
    with mock.patch("core.outbox._send") as send:
        assert outbox.flush(older_than=outbox.timedelta(0)) == 0
    assert send.call_count == 0


def test_a_database_error_after_the_commit_does_not_fail_the_request_and_leaves_the_row_for_flush():
    with mock.patch("core.outbox.publish", side_effect=OperationalError("connection lost")):
        with transaction.atomic():  # leaving the block runs the publish hook: it must not raise
            outbox.enqueue("core.tasks.flush_outbox")
    assert OutboxMessage.objects.get().sent_at is None
    with mock.patch("core.outbox._send") as send:
        assert outbox.flush(older_than=outbox.timedelta(0)) == 1
    assert send.call_count == 1
