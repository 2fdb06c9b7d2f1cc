"""Thin, idempotent tasks; each has a management command (opinions_overdue, opinions_retention)."""

from celery import shared_task

from opinions import services


@shared_task(acks_late=True)
def announce_new_opinion(opinion_id):
    return services.announce_new_opinion(opinion_id)


@shared_task(acks_late=True)
def flag_overdue_opinions():
    services.open_missing_from_receptions()
    return services.flag_overdue()


@shared_task(acks_late=True)
def erase_expired_personal_data():
    return services.erase_expired_personal_data()
