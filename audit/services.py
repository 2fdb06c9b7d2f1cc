"""Keeping the audit log: entries are never edited or deleted from the UI; an operator may prune
entries older than the retention period, which can never be shorter than the legal minimum."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from core.exceptions import DomainError

MINIMUM_RETENTION_DAYS = 180


def prune(*, days=None, now=None):
    """Delete entries older than `days` (default AUDIT_RETENTION_DAYS); refuses fewer than 180
    days. Returns how many entries were deleted."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < MINIMUM_RETENTION_DAYS:
        raise DomainError(
            _("操作日志至少保留%(minimum)d天，不能按%(days)d天清理。") % {"minimum": MINIMUM_RETENTION_DAYS, "days": days}
        )
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _per_model = AuditEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted
