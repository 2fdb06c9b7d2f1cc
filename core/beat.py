"""Celery beat on one process at a time, however many are started.

django-celery-beat's DatabaseScheduler keeps the schedules in the database but does not stop a
second beat from sending every task again. `LeaderScheduler` sends only while it holds a
PostgreSQL advisory lock, taken on a database connection of its own: a second beat waits as a
standby and takes over within a few seconds when the first one's connection ends (process killed,
machine lost). The lock holder is visible in `pg_stat_activity` as application_name
"lianxin beat <host>:<pid>". Scheduled tasks are idempotent as well, for the seconds around a
takeover. On SQLite (one machine, `make run`) there is nothing to share and no lock is taken."""

import logging
import os
import socket

from django.db import DatabaseError, InterfaceError, connections
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

# Any 64-bit number that no other advisory lock of the database uses ("lianxin" in ASCII).
LOCK_KEY = 0x6C69616E78696E
STANDBY_INTERVAL = 5.0


class LeaderScheduler(DatabaseScheduler):
    """DatabaseScheduler that sends only while it holds the beat lock (see the module)."""

    def __init__(self, *args, **kwargs):
        self._lock_connection = None
        self._leading = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        if not self._hold_lock():
            return min(self.max_interval, STANDBY_INTERVAL)
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        """Send, then store the entry's run at once (DatabaseScheduler would wait up to three
        minutes): a standby that takes over reads what this beat has sent and sends it again
        only when it is due again."""
        super().apply_entry(entry, producer=producer)
        self.sync()

    def close(self):
        super().close()  # stores the last runs before the lock goes to a standby
        self._release()

    def _hold_lock(self):
        if connections["default"].vendor != "postgresql":
            return True
        try:
            if self._lock_connection is None:
                self._lock_connection = connections.create_connection("default")
                self._lock_connection.ensure_connection()
                with self._lock_connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('application_name', %s, false)",
                        [f"lianxin beat {socket.gethostname()[:40]}:{os.getpid()}"],
                    )
            with self._lock_connection.cursor() as cursor:
                if self._leading:
                    cursor.execute("SELECT 1")  # the lock lives as long as this connection
                else:
                    cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                    if not cursor.fetchone()[0]:
                        return False
                    self._take_over()
            return True
        except (DatabaseError, InterfaceError) as exc:
            if self._leading:
                logger.warning("beat lost its database connection and with it the scheduler lock: %s", exc)
            self._release()
            return False

    def _take_over(self):
        """Now the active beat: read the schedule afresh (the previous holder may have run
        entries since this process last read them)."""
        self._leading = True
        logger.info("this beat holds the scheduler lock and sends the scheduled tasks")
        if not self._initial_read:
            self.sync()
            self._schedule = self.all_as_schedule()
            self._heap = []
            self._heap_invalidated = True

    def _release(self):
        self._leading = False
        if self._lock_connection is not None:
            try:
                self._lock_connection.close()
            except (DatabaseError, InterfaceError):
                pass
            self._lock_connection = None
