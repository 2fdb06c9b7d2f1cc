"""The import endpoints of the API (`POST /api/v1/deputies/import/`, …): one multipart field
`file`; `?dry_run=true` answers the preview without writing. Each kind's viewset adds an action
that calls `respond`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from imports import engine, registry


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="按导入模板填写的 .xlsx 文件")


class ImportCellErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 行号（表头为第1行；0 指整个文件）")
    column = serializers.CharField(help_text="列名，如“手机号”")
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="新增的行数")
    updated = serializers.IntegerField(help_text="更新的行数")
    unchanged = serializers.IntegerField(help_text="与系统一致、不改动的行数")
    errors = ImportCellErrorSerializer(many=True)


TRUE = {"1", "true", "yes", "on"}


def import_schema(title, operation_id):
    return extend_schema(
        operation_id=operation_id,
        summary=f"从 Excel 导入{title}",
        description=(
            "上传按模板填写的 .xlsx（字段 file）。`dry_run=true` 只预览：逐行检查，返回将新增、更新、不变的行数和错误，"
            "不写入。不带 dry_run 时写入全部行（一个导入批次，记入操作日志）；有任何错误则整份不导入，返回 400 和同样的内容。"
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        parameters=[OpenApiParameter("dry_run", bool, description="true：只预览，不写入", default=False)],
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )


def respond(request, kind):
    """Check (dry run) or write the uploaded sheet; 400 with the errors when there are any."""
    importer = registry.get(kind)
    importer.permission.check(request.user)
    upload = request.FILES.get("file")
    if upload is None:
        return Response(
            {"created": 0, "updated": 0, "unchanged": 0,
             "errors": [{"row": 0, "column": "file", "message": "请用 multipart 字段 file 上传 .xlsx 文件。"}]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    dry_run = str(request.query_params.get("dry_run", "")).lower() in TRUE
    try:
        checked, _batch = engine.import_file(importer, upload, by=request.user, dry_run=dry_run)
    except engine.ImportRefused as exc:
        return Response(exc.preview.as_json(), status=status.HTTP_400_BAD_REQUEST)
    answer = status.HTTP_400_BAD_REQUEST if checked.errors else status.HTTP_200_OK
    return Response(checked.as_json(), status=answer)
