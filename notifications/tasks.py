from celery import shared_task

from notifications import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_deliveries(notification_id):
    return services.send_deliveries(notification_id)
