from django.apps import apps
from django.core.management.base import BaseCommand

from core.search import SearchDocumentField, rebuild_search_vectors


def searchable_models():
    """Every model with a search vector (core.search), by its label (opinions.opinion)."""
    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if any(isinstance(field, SearchDocumentField) for field in model._meta.concrete_fields)
    }


class Command(BaseCommand):
    help = (
        "重建全文检索的词语索引（群众意见、代表建议及其答复）：升级后首次启用检索、"
        "绕过程序批量写入数据后运行。只在 PostgreSQL 上保存索引，其他数据库上不做任何事。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(searchable_models()), help="只重建其中一种")
        parser.add_argument("--batch-size", type=int, default=500, help="每批写入的行数")

    def handle(self, *args, **options):
        for label, model in searchable_models().items():
            if options["only"] and options["only"] != label:
                continue
            written = rebuild_search_vectors(model, batch_size=options["batch_size"])
            self.stdout.write(f"{model._meta.verbose_name}：{written} 条")
