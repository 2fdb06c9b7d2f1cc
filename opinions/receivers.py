"""How opinions hook into stations: a reception marked 待跟进 opens an opinion, and the station's
public page carries the opinion form (a panel registered with stations.public)."""

import logging

logger = logging.getLogger(__name__)


def on_reception_needs_follow_up(sender, reception, **kwargs):
    from opinions.services import open_from_reception

    open_from_reception(reception)


def connect():
    from stations.signals import reception_needs_follow_up

    reception_needs_follow_up.connect(
        on_reception_needs_follow_up, dispatch_uid="opinions-open-from-reception"
    )
    try:
        from stations import public
    except ImportError:  # the stations app's public page is not there yet
        logger.warning("stations.public is missing: the opinion form is not on station pages")
        return
    from opinions.views import render_opinion_panel

    public.register_panel("opinion_form", order=20, render=render_opinion_panel)
