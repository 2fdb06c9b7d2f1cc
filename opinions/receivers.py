"""How opinions hook into stations: a reception marked 待跟进 opens an opinion, and the station's
public page carries the opinion form (a panel registered with stations.public)."""

import logging

logger = logging.getLogger(__name__)


def on_reception_needs_follow_up(sender, reception, **kwargs):
    """Sent after the reception's commit: a failure here must not fail the deputy's visit log.
    The daily overdue run opens any follow-up reception that was missed (services.
    open_missing_from_receptions)."""
    from opinions.services import open_from_reception

    try:
        open_from_reception(reception)
    except Exception:
        logger.exception("could not open an opinion for reception %s", reception.pk)


def connect():
    from opinions.views import render_opinion_panel
    from stations import public
    from stations.signals import reception_needs_follow_up

    reception_needs_follow_up.connect(
        on_reception_needs_follow_up, dispatch_uid="opinions-open-from-reception"
    )
    public.register_panel("opinion_form", order=20, render=render_opinion_panel)
