from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Excel imports that update: upload → preview → confirm, one batch per import, undo the
    last batch. The kinds (deputies, stations, handling units) register themselves from their
    own apps (`imports.registry.register`); this app knows none of them."""

    name = "imports"
    verbose_name = _("批量导入")
