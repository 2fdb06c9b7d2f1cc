from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    """群众意见: opinions the public submits from a station's QR page, and their handling."""

    name = "opinions"
    verbose_name = _("群众意见")

    def ready(self):
        from audit.registry import register
        from opinions import receivers
        from opinions.models import Opinion

        # Name and number stay out of the audit log: they must be erasable after retention.
        register(Opinion, exclude=["name", "phone", "content"])
        receivers.connect()

        from core.caching import watch_models
        from opinions.filters import COUNT_MODELS, ROW_NAME_MODELS

        # the filter form's choices, the names on the inbox's rows, the staff's unfiltered count
        watch_models(*ROW_NAME_MODELS, *COUNT_MODELS)

        from core.security import register_media
        from opinions.models import OpinionPhoto

        # A person's photos: only for those who may see the opinion.
        register_media("opinions/", lambda request, name: OpinionPhoto.objects.filter(
            image=name, opinion__in=Opinion.objects.visible_to(request.user)).exists())
