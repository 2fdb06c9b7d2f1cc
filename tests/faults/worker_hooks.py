"""Loaded into a test's Celery worker with `--include tests.faults.worker_hooks`, never in
production: when FAULTS_PAUSE_AT_NOTIFICATION=N, the worker stops inside the transaction of the
Nth notification it creates, writes its pid to FAULTS_MARKER and waits there to be killed. The
kill lands at a known point of a reminder run instead of at a guessed moment. It pauses once:
a marker that exists already (a restarted process) lets the run go on."""

import os
import time
from pathlib import Path

from django.db.models.signals import post_save

PAUSE_AT = int(os.environ.get("FAULTS_PAUSE_AT_NOTIFICATION") or 0)
MARKER = Path(os.environ.get("FAULTS_MARKER") or "/nonexistent/faults-marker")
seen = {"notifications": 0}


def pause_at_nth_notification(sender, instance, created, **kwargs):
    if not created or sender._meta.label != "notifications.Notification":
        return
    seen["notifications"] += 1
    if PAUSE_AT and seen["notifications"] == PAUSE_AT and not MARKER.exists():
        MARKER.write_text(str(os.getpid()))
        time.sleep(300)


post_save.connect(pause_at_nth_notification, weak=False, dispatch_uid="faults-pause-at-nth-notification")
