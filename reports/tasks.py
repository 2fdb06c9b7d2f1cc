"""Celery tasks of the reports app (each also a management command: annual_report)."""

from celery import shared_task

from reports import services


@shared_task(acks_late=True)
def build_annual_report(report_id):
    """Build one queued annual report; a report already built is not built again."""
    report = services.build_annual_report(report_id)
    return report.status if report is not None else None
