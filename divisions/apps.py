from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DivisionsConfig(AppConfig):
    """The deployment's structure: the region tree (市 · 县区 · 乡镇街道), the congress of each
    region that holds one, villages/communities, and the government departments (承办单位) that
    handle what deputies and the public raise."""

    name = "divisions"
    verbose_name = _("行政区划与部门")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from divisions.models import Congress, Region, Township
        from divisions.scope import tree_changed

        from divisions.importers import UnitImporter
        from imports import registry

        registry.register(UnitImporter())

        for model in (Region, Township, Congress):
            post_save.connect(tree_changed, sender=model, dispatch_uid=f"tree-changed-save-{model.__name__}")
            post_delete.connect(tree_changed, sender=model, dispatch_uid=f"tree-changed-delete-{model.__name__}")
